#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decides what becomes of a job that is provisioning, from its current gang of nodes: keep
/// waiting, start it (every node runs: its agent reported in), or give the gang up (a node failed
/// or vanished, or stalled: see ``LaunchStall``), releasing the nodes it got.
public enum GangLaunchCheck {
    public enum Decision: Sendable, Equatable {
        case wait
        case start
        /// Release every live node of the gang; `stuck` are the nodes that stalled (their offers are
        /// blocked for a while), `reason` is for the job's timeline.
        case release(reason: String, stuck: [String])
    }

    /// - Parameters:
    ///   - nodes: the gang's current nodes (one per rank, the newest attempt).
    ///   - timeout: how long a launch of a provider's node may take until the provider runs it.
    ///   - bootTimeout: how long its agent may then take to report in.
    public static func decide(
        nodes: [NodeView], now: Date, timeout: (String) -> Duration, bootTimeout: Duration
    ) -> Decision {
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
        let stuck = nodes.compactMap { node in
            LaunchStall.reason(node, now: now, launchTimeout: timeout(node.providerID), bootTimeout: bootTimeout)
                .map { (node, $0) }
        }
        if !stuck.isEmpty {
            let reasons = stuck.map { node, reason in "node \(node.rank) (\(node.providerID)): \(reason)" }
            return .release(reason: reasons.joined(separator: "; "), stuck: stuck.map(\.0.id))
        }
        return nodes.allSatisfy { $0.state == .running } ? .start : .wait
    }
}
