#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decides what becomes of a job that is provisioning, from its current gang of nodes: keep
/// waiting, start it (every node is running), or give the gang up (a node failed or vanished, or
/// a launch made no progress within its provider's timeout), releasing the nodes it got.
public enum GangLaunchCheck {
    public enum Decision: Sendable, Equatable {
        case wait
        case start
        /// Release every live node of the gang; `stuck` are the nodes whose launch timed out (their
        /// offers are blocked for a while), `reason` is for the job's timeline.
        case release(reason: String, stuck: [String])
    }

    /// - Parameters:
    ///   - nodes: the gang's current nodes (one per rank, the newest attempt).
    ///   - timeout: how long a launch of a provider's node may take to reach `running`.
    public static func decide(nodes: [NodeView], now: Date, timeout: (String) -> Duration) -> Decision {
        guard !nodes.isEmpty else { return .release(reason: "the placement has no nodes", stuck: []) }
        if let lost = nodes.first(where: { $0.state == .failed || $0.state == .terminated }) {
            return .release(
                reason:
                    "node \(lost.rank) (\(lost.providerID)) \(lost.state == .failed ? "failed to launch" : "vanished")",
                stuck: [])
        }
        if let gone = nodes.first(where: { $0.state == .terminating || $0.state == .preempting }) {
            return .release(reason: "node \(gone.rank) (\(gone.providerID)) is going away", stuck: [])
        }
        let stuck = nodes.filter { node in
            node.state != .running
                && now.timeIntervalSince(node.requestedAt) >= timeout(node.providerID).timeInterval
        }
        if !stuck.isEmpty {
            let names = stuck.map { "node \($0.rank) (\($0.providerID))" }.joined(separator: ", ")
            return .release(reason: "launch made no progress in time: \(names)", stuck: stuck.map(\.id))
        }
        return nodes.allSatisfy { $0.state == .running } ? .start : .wait
    }
}
