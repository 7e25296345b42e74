/// The fixed parameters of an agent's decisions.
struct AgentSettings: Equatable, Sendable {
    /// Time between heartbeats.
    var interval: Duration
    /// The signal that asks the command for a checkpoint.
    var checkpointSignal: Int32
    /// How long the command has after SIGTERM on `stop` before SIGKILL.
    var stopGrace: Duration = .seconds(30)
    /// How long the final `exited` heartbeat is retried before the agent exits without it.
    var finalReportTimeout: Duration = .seconds(300)
    /// The first retry delay after a failed heartbeat; doubled per failure, capped at ``interval``.
    var firstRetryDelay: Duration = .milliseconds(500)
    /// Paths handed to the command.
    var shardsFile: String
    var progressFile: String
}
