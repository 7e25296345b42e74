/// What the broker tells a node's agent in the answer to its heartbeat.
public enum AgentCommand: String, Sendable, Hashable, Codable, CaseIterable {
    /// Write a checkpoint now (the node is being reclaimed).
    case checkpoint
    /// Stop the command and exit (the node is going away, or the job ended).
    case stop

    /// The commands for a node in `node`'s state whose job is in `job`'s.
    public static func commands(node: NodeState, job: JobState) -> [AgentCommand] {
        if job.isTerminal || node == .terminating || node.isTerminal { return [.stop] }
        if node == .preempting { return [.checkpoint] }
        return []
    }
}
