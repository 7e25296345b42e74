import BrokerCore
import Store

/// What nodes' agents tell the broker and ask of it, each agent by its node's own token: who it
/// is, its heartbeats (whose outcome BrokerCore's heartbeat rules decide), its job's shard objects.
public struct AgentReports: Sendable {
    private let nodes: any NodeRepository
    private let jobs: any JobRepository
    private let clock: any BrokerClock
    private let signals: FleetSignals

    public init(nodes: any NodeRepository, jobs: any JobRepository, clock: any BrokerClock, signals: FleetSignals) {
        self.nodes = nodes
        self.jobs = jobs
        self.clock = clock
        self.signals = signals
    }

    /// The node whose agent token `presented` is; nil for any other token.
    public func node(presenting presented: String) async throws -> NodeRecord? {
        try await nodes.node(agentTokenHash: AgentToken.hash(presented))
    }

    /// Records node `id`'s heartbeat; when it ends the job, the reconciler is woken to terminate
    /// the nodes it leaves behind.
    public func heartbeat(_ heartbeat: Heartbeat, node id: String) async throws -> HeartbeatOutcome {
        let outcome = try await nodes.recordHeartbeat(heartbeat, node: id, at: clock.now)
        if !outcome.terminating.isEmpty { signals.jobEnded() }
        return outcome
    }

    /// The objects of each shard of job `id`, from its dataset manifest; nil without one.
    public func shardObjects(ofJob id: String) async throws -> [[String]]? {
        try await jobs.shardObjects(ofJob: id)
    }
}
