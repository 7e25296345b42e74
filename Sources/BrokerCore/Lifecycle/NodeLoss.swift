/// A node being lost (`preempt`: a reclaim notice; `vanish`: its instance is gone; `terminate`:
/// an operator's order) and what it does to its job: a running job is interrupted (it goes to
/// migrating), so a job never runs on short of a node.
public enum NodeLoss {
    /// The job's event and reason, or nil when its state has nothing to interrupt.
    public static func jobChange(job: JobState, event: NodeEvent, rank: Int, reason: String) -> (
        event: JobEvent, reason: String
    )? {
        guard job == .running else { return nil }
        let what =
            switch event {
            case .vanish: "vanished"
            case .terminate: "was terminated by an operator"
            default: "is being reclaimed"
            }
        return (.interrupt, "node \(rank) \(what): \(reason)")
    }
}
