#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where a gang meets: how many nodes it has and rank 0's address, told to every agent in its
/// heartbeat answer.
public enum Rendezvous {
    /// One node of the job, any attempt.
    public struct Member: Sendable, Equatable {
        public var id: String
        public var rank: Int
        public var state: NodeState
        public var requestedAt: Date
        public var address: String?

        public init(id: String, rank: Int, state: NodeState, requestedAt: Date, address: String?) {
            self.id = id
            self.rank = rank
            self.state = state
            self.requestedAt = requestedAt
            self.address = address
        }
    }

    /// The gang's size (its active nodes, at least 1) and its master: the address of rank 0's
    /// newest active node (nil until that node reports one).
    public static func of(_ nodes: [Member]) -> (size: Int, master: String?) {
        let active = nodes.filter(\.state.isActive)
        let master = active.filter { $0.rank == 0 }.max { ($0.requestedAt, $0.id) < ($1.requestedAt, $1.id) }
        return (max(1, active.count), master?.address)
    }
}
