/// gridbroker's policy for `market: auto`: spot whenever it is available, on-demand only to keep a
/// reserve of slack, and back to spot only once it looks stable.
///
/// Slack is time left − work left − overhead still owed: the time the job can still lose. Uniform
/// Progress keeps, in effect, a reserve of `timeLeft × (deadline − work) / deadline`. This policy
/// keeps `reserveFraction` of it (never less than two restart overheads):
/// - on spot: stay while it lasts;
/// - with no node: spot if available; otherwise wait while the slack is above the reserve, then
///   on-demand;
/// - on on-demand: back to spot only when spot has been available for `stableTicks` ticks in a row
///   (a zone that just came back often flaps, and every switch pays an overhead), the slack is at
///   least the reserve, and enough work is left to earn the overhead back.
/// Deadline-safe through ``SpotPolicyState/mustRunOnDemand``.
public struct GridbrokerSpotPolicy: SpotPolicy, Codable, Equatable {
    /// The share of Uniform Progress's reserve to keep: `reserveNumerator / reserveDenominator`.
    public var reserveNumerator: Int64
    public var reserveDenominator: Int64
    /// Ticks in a row spot must have been available before a job on on-demand goes back to it.
    public var stableTicks: Int
    /// A job on on-demand returns to spot only with at least this much work left.
    public var returnWorkSeconds: Int64
    /// Ticks in a row spot has been available, up to now.
    private var availableStreak = 0

    /// The thresholds tuned on the "Can't Be Late" traces: the whole reserve for tight deadlines
    /// (slack at most a tenth of the work), three quarters of it otherwise; spot stable for 3 ticks;
    /// at least 5 overheads of work left.
    public init(job: SpotJob, history: SpotHistory = .empty) {
        let tight = (job.deadlineSeconds - job.workSeconds) * 10 <= job.workSeconds
        self.init(
            reserveFraction: tight ? (1, 1) : (3, 4), stableTicks: 3,
            returnWorkSeconds: job.restartOverheadSeconds * 5)
    }

    public init(reserveFraction: (numerator: Int64, denominator: Int64), stableTicks: Int, returnWorkSeconds: Int64) {
        self.reserveNumerator = reserveFraction.numerator
        self.reserveDenominator = reserveFraction.denominator
        self.stableTicks = stableTicks
        self.returnWorkSeconds = returnWorkSeconds
    }

    public var name: String { "gridbroker" }

    public mutating func decide(_ state: SpotPolicyState) -> SpotDecision {
        availableStreak = state.spotAvailable ? availableStreak + 1 : 0
        if state.mustRunOnDemand { return .onDemand }
        let comfortable = state.slackSeconds >= reserve(state)
        switch state.placement {
        case .spot:
            return .spot
        case .onDemand:
            let back =
                availableStreak >= stableTicks && comfortable && state.workLeftSeconds >= returnWorkSeconds
            return back ? .spot : .onDemand
        case .none:
            if state.spotAvailable { return .spot }
            return comfortable ? .wait : .onDemand
        }
    }

    /// The slack to keep now: `reserveFraction` of `timeLeft × (deadline − work) / deadline`, and at
    /// least two restart overheads. Computed in 128 bits: a deadline decades away makes the product
    /// overflow 64.
    private func reserve(_ state: SpotPolicyState) -> Int64 {
        let job = state.job
        let line =
            Int128(max(0, state.timeLeftSeconds)) * Int128(job.deadlineSeconds - job.workSeconds)
            * Int128(reserveNumerator) / (Int128(job.deadlineSeconds) * Int128(reserveDenominator))
        return max(2 * job.restartOverheadSeconds, Int64(clamping: line))
    }
}
