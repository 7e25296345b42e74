/// What a policy sees at the start of a tick.
public struct SpotPolicyState: Sendable, Hashable {
    /// The job being run.
    public var job: SpotJob
    /// Seconds per tick.
    public var tickSeconds: Int64
    /// Ticks since the job's start.
    public var tick: Int
    /// Seconds of work done so far.
    public var workDoneSeconds: Int64
    /// Where the node is now; `.none` after a preemption.
    public var placement: SpotPlacement
    /// Seconds of restart overhead the current node still has to get through before it makes progress.
    public var overheadLeftSeconds: Int64
    /// Whether a spot node can run during this tick.
    public var spotAvailable: Bool

    public init(
        job: SpotJob, tickSeconds: Int64, tick: Int, workDoneSeconds: Int64, placement: SpotPlacement,
        overheadLeftSeconds: Int64, spotAvailable: Bool
    ) {
        self.job = job
        self.tickSeconds = tickSeconds
        self.tick = tick
        self.workDoneSeconds = workDoneSeconds
        self.placement = placement
        self.overheadLeftSeconds = overheadLeftSeconds
        self.spotAvailable = spotAvailable
    }

    /// Seconds since the job's start.
    public var elapsedSeconds: Int64 { Int64(tick) * tickSeconds }
    /// Seconds of work still to do.
    public var workLeftSeconds: Int64 { job.workSeconds - workDoneSeconds }
    /// Seconds until the deadline (negative once it has passed).
    public var timeLeftSeconds: Int64 { job.deadlineSeconds - elapsedSeconds }

    /// Time that can still be lost (waiting, restarts) if from now on the node had to run without a
    /// break, counting the overhead the current node still owes.
    public var slackSeconds: Int64 { timeLeftSeconds - workLeftSeconds - overheadLeftSeconds }

    /// The safety net every deadline-safe policy shares: true when anything but on-demand during
    /// this tick could make the deadline unreachable, because a switch to on-demand one tick later
    /// (after no progress, in the worst case) would no longer finish in time. Once true, it stays
    /// true while the job runs on on-demand, so obeying it means on-demand for good.
    public var mustRunOnDemand: Bool {
        timeLeftSeconds - tickSeconds < workLeftSeconds + job.restartOverheadSeconds
    }
}
