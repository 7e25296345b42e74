import NodeAgent

/// How the simulated market runs its nodes' agents (`gridbroker sim --run-agents`).
public struct AgentSimulation: Sendable {
    /// How heartbeats reach the broker.
    public var transport: any HeartbeatTransport
    /// Seconds one shard takes on one GPU of relative speed 1 (an A100-80GB, see
    /// ``BrokerCore/GPUModel/relativeSpeed``); a node takes this divided by its GPUs' relative
    /// speed times their count, the weight the broker spreads shards by.
    public var shardSeconds: Double
    /// Time between heartbeats.
    public var heartbeatInterval: Duration
    /// A checkpoint is written after every this many shards (and whenever the broker asks).
    public var checkpointEveryShards: Int

    public init(
        transport: any HeartbeatTransport, shardSeconds: Double = 60, heartbeatInterval: Duration = .seconds(5),
        checkpointEveryShards: Int = 5
    ) {
        self.transport = transport
        self.shardSeconds = shardSeconds
        self.heartbeatInterval = heartbeatInterval
        self.checkpointEveryShards = checkpointEveryShards
    }
}
