/// The outcome of one replayed run.
public struct SpotRunResult: Sendable, Hashable {
    /// What the run cost, accrued tick by tick.
    public var cost: Money
    /// Seconds after the start at which the work was done.
    public var finishedAtSeconds: Int64
    /// Nodes started (each paid the restart overhead).
    public var starts: Int
    /// Where the job ran in each tick from the start: one letter a tick, `I` idle (waiting or just
    /// preempted), `O` on-demand, `S` spot.
    public var actions: String

    public init(cost: Money, finishedAtSeconds: Int64, starts: Int, actions: String = "") {
        self.cost = cost
        self.finishedAtSeconds = finishedAtSeconds
        self.starts = starts
        self.actions = actions
    }

    /// Whether the work was done by `job`'s deadline.
    public func metDeadline(of job: SpotJob) -> Bool {
        finishedAtSeconds <= job.deadlineSeconds
    }
}
