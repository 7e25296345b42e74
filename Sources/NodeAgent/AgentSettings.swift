/// The fixed parameters of an agent's decisions.
public struct AgentSettings: Equatable, Sendable {
    /// Time between heartbeats.
    public var interval: Duration
    /// The signal that asks the command for a checkpoint.
    public var checkpointSignal: Int32
    /// How long the command has after SIGTERM on `stop` before SIGKILL.
    public var stopGrace: Duration
    /// How long the final `exited` heartbeat is retried before the agent exits without it.
    public var finalReportTimeout: Duration
    /// The first retry delay after a failed heartbeat; doubled per failure, capped at ``interval``.
    public var firstRetryDelay: Duration
    /// Paths handed to the command.
    public var shardsFile: String
    public var progressFile: String
    /// The node's address, reported in every heartbeat when known.
    public var address: String?

    public init(
        interval: Duration, checkpointSignal: Int32, stopGrace: Duration = .seconds(30),
        finalReportTimeout: Duration = .seconds(300), firstRetryDelay: Duration = .milliseconds(500),
        shardsFile: String, progressFile: String, address: String? = nil
    ) {
        self.interval = interval
        self.checkpointSignal = checkpointSignal
        self.stopGrace = stopGrace
        self.finalReportTimeout = finalReportTimeout
        self.firstRetryDelay = firstRetryDelay
        self.shardsFile = shardsFile
        self.progressFile = progressFile
        self.address = address
    }
}
