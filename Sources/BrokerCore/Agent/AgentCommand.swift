/// What the broker tells a node's agent in the answer to its heartbeat.
public enum AgentCommand: String, Sendable, Hashable, Codable, CaseIterable {
    /// Write a checkpoint now (a node of the gang is being reclaimed).
    case checkpoint
    /// Stop the command and exit (the node is going away, or the job ended).
    case stop

    /// The commands for a node in `node`'s state whose job is in `job`'s; `gangPreempting` says
    /// whether a node of its job is being reclaimed. The whole gang checkpoints then, not only the
    /// node going: with data parallelism it is rank 0 that saves the model. The command repeats in
    /// every answer while the notice lasts; the agent acts on its first.
    public static func commands(node: NodeState, job: JobState, gangPreempting: Bool = false) -> [AgentCommand] {
        if job.isTerminal || node == .terminating || node.isTerminal { return [.stop] }
        if node == .preempting || (node == .running && gangPreempting) { return [.checkpoint] }
        return []
    }
}
