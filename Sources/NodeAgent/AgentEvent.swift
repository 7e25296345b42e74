/// What happens to the agent; fed to ``AgentMachine/handle(_:at:)``.
public enum AgentEvent: Equatable, Sendable {
    /// The broker answered a heartbeat with 200.
    case heartbeatAnswered(HeartbeatAnswer)
    /// A heartbeat did not get a usable answer: broker unreachable, an error status, an unreadable body.
    case heartbeatFailed(reason: String)
    /// The command ended with this code (128 + the signal when a signal ended it).
    case commandExited(code: Int32)
    /// The agent itself got SIGTERM or SIGINT: stop the command, report once, exit.
    case terminationRequested
    /// The time the machine asked for in ``AgentMachine/nextDeadline`` may have come.
    case timer
    /// The job's shard objects arrived (after ``AgentAction/fetchDataset``); the caller keeps them
    /// for the shards file.
    case datasetFetched
    /// They could not be fetched; the next heartbeat answer asks again.
    case datasetFetchFailed(reason: String)
}

/// What the agent must do next; returned by ``AgentMachine``, carried out by ``AgentRunner``.
public enum AgentAction: Equatable, Sendable {
    /// POST a heartbeat with this status (and exit code), with the progress file's last good content.
    case sendHeartbeat(HeartbeatReport.Status, exitCode: Int32?)
    /// (Re)write the shards file: one line per shard, its index and, when the job's shards are lists
    /// of objects, their URIs (see ``ShardsFile``).
    case writeShards([Int])
    /// Fetch the job's shard objects (`GET /v1/agent/dataset`); the command waits for them.
    case fetchDataset
    /// Start the command with these variables added to the agent's own environment.
    case startCommand(environment: [String: String])
    /// Send the command this signal.
    case signal(Int32)
    /// Exit the agent with this code.
    case exit(Int32)
}
