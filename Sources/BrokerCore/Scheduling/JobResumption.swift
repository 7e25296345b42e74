#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What resuming a migrating job writes once every rank runs again: the nodes that earlier
/// attempts left at each rank and that are not yet asked to go (``NodeState/isActive``) are
/// terminated as replaced, and the job's timeline says how much work the restart from its last
/// checkpoint lost.
public struct JobResumption: Sendable, Equatable {
    /// The ids of the nodes to terminate, in the order they were requested.
    public let replaced: [String]
    /// Why the job runs again, for its timeline.
    public let reason: String

    /// The resumption of a job whose nodes are `nodes` (in the order they were requested, as
    /// `(id, rank, state)`), whose newest checkpoint is `checkpointURI`, completed at
    /// `checkpointAt`, at `now`.
    public init(
        nodes: [(id: String, rank: Int, state: NodeState)], checkpointURI: String?, checkpointAt: Date?, now: Date
    ) {
        let current = Set(CurrentGang.of(nodes, rank: \.rank).map(\.id))
        replaced = nodes.filter { !current.contains($0.id) && $0.state.isActive }.map(\.id)
        let lost = checkpointAt.map { Int(now.timeIntervalSince($0)) }
        reason =
            "every rank runs again; "
            + (lost.map { "resumed from \(checkpointURI ?? "the last checkpoint"), \($0) s of work lost" }
                ?? "no checkpoint was reported: the work restarts")
    }
}

/// A job's current gang: at each rank, the newest of its nodes. Earlier nodes of a rank are ones a
/// replacement took over from.
public enum CurrentGang {
    /// The last of `nodes` (in the order they were requested) at each rank, by rank.
    public static func of<Node>(_ nodes: [Node], rank: (Node) -> Int) -> [Node] {
        var newest: [Int: Node] = [:]
        for node in nodes { newest[rank(node)] = node }
        return newest.sorted { $0.key < $1.key }.map(\.value)
    }
}
