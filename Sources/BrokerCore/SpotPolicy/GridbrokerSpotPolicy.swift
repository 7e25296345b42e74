/// gridbroker's policy for `market: auto`: greedy on spot with a safety net and hysteresis.
///
/// Spot whenever it is available; while it is not, wait as long as the slack (time left − work
/// left − overhead still owed) stays above `fallbackSlackSeconds`, then go on-demand. A node on
/// on-demand goes back to spot only when the slack after paying one more restart overhead would
/// still be at least `returnSlackSeconds` and enough work is left to earn that overhead back;
/// otherwise it stays, so the job does not thrash between markets. Deadline-safe through
/// ``SpotPolicyState/mustRunOnDemand``.
public struct GridbrokerSpotPolicy: SpotPolicy {
    /// Below this slack a job without a node goes on-demand instead of waiting for spot.
    public var fallbackSlackSeconds: Int64
    /// A job on on-demand returns to spot only with at least this much slack left after the switch.
    public var returnSlackSeconds: Int64
    /// A job on on-demand returns to spot only with at least this much work left.
    public var returnWorkSeconds: Int64

    /// Thresholds in multiples of the job's restart overhead, tuned on the "Can't Be Late" traces.
    public init(job: SpotJob) {
        let overhead = job.restartOverheadSeconds
        self.init(fallbackSlackSeconds: overhead * 2, returnSlackSeconds: overhead * 3, returnWorkSeconds: overhead * 5)
    }

    public init(fallbackSlackSeconds: Int64, returnSlackSeconds: Int64, returnWorkSeconds: Int64) {
        self.fallbackSlackSeconds = fallbackSlackSeconds
        self.returnSlackSeconds = returnSlackSeconds
        self.returnWorkSeconds = returnWorkSeconds
    }

    public var name: String { "gridbroker" }

    public func decide(_ state: SpotPolicyState) -> SpotDecision {
        if state.mustRunOnDemand { return .onDemand }
        switch state.placement {
        case .spot:
            return .spot
        case .onDemand:
            let slackAfterSwitch = state.slackSeconds - state.job.restartOverheadSeconds
            let worthReturning =
                state.spotAvailable && slackAfterSwitch >= returnSlackSeconds
                && state.workLeftSeconds >= returnWorkSeconds
            return worthReturning ? .spot : .onDemand
        case .none:
            if state.spotAvailable { return .spot }
            return state.slackSeconds < fallbackSlackSeconds ? .onDemand : .wait
        }
    }
}
