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
}

/// What the agent must do next; returned by ``AgentMachine``, carried out by ``AgentRunner``.
public enum AgentAction: Equatable, Sendable {
    /// POST a heartbeat with this status (and exit code), with the progress file's last good content.
    case sendHeartbeat(HeartbeatReport.Status, exitCode: Int32?)
    /// (Re)write the shards file: one index a line.
    case writeShards([Int])
    /// Start the command with these variables added to the agent's own environment.
    case startCommand(environment: [String: String])
    /// Send the command this signal.
    case signal(Int32)
    /// Exit the agent with this code.
    case exit(Int32)
}
