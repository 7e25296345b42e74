import BrokerCore
import Store

/// What operators do to nodes: list every job's, and terminate one (the reconciler then terminates
/// its instance; a running job migrates to a replacement).
public struct NodeControl: Sendable {
    private let nodes: any NodeRepository
    private let clock: any BrokerClock
    private let signals: FleetSignals

    public init(nodes: any NodeRepository, clock: any BrokerClock, signals: FleetSignals) {
        self.nodes = nodes
        self.clock = clock
        self.signals = signals
    }

    /// Up to `limit` nodes, newest first, after the node `cursor` (in `states` and of `provider`
    /// when given).
    public func list(states: Set<NodeState>?, provider: String?, limit: Int, after cursor: String?) async throws
        -> [NodeRecord]
    {
        try await nodes.list(states: states, provider: provider, limit: limit, after: cursor)
    }

    /// Moves node `id` to terminating and wakes the reconciler and the scheduler. The node's state
    /// machine says whether it may: unknown is ``Store/StoreError/notFound(entity:id:)``, already
    /// terminating or gone ``Store/StoreError/invalidTransition(_:)``.
    public func terminate(node id: String) async throws -> NodeRecord {
        let terminating = try await nodes.terminate(node: id, reason: "terminated by an operator", at: clock.now)
        signals.jobEnded()
        signals.nodeReclaimed()
        return terminating
    }
}
