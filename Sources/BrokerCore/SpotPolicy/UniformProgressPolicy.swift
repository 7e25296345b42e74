/// "Uniform Progress", the baseline of the NSDI'24 paper "Can't Be Late" (Wu et al.): follow the
/// straight line of progress from nothing at the start to all the work at the deadline.
///
/// Spot whenever it is available, except that a node on on-demand stays there while the job is
/// behind the line; on-demand when spot is unavailable and the job is behind; otherwise wait.
/// A node on on-demand is never stopped just to wait (that would pay a restart for nothing).
/// Progress still owed to a node's restart overhead does not count. Deadline-safe through
/// ``SpotPolicyState/mustRunOnDemand``.
public struct UniformProgressPolicy: SpotPolicy {
    public init() {}

    public var name: String { "uniform-progress" }

    public func decide(_ state: SpotPolicyState) -> SpotDecision {
        if state.mustRunOnDemand || (state.placement == .onDemand && isBehind(state)) { return .onDemand }
        if state.spotAvailable { return .spot }
        return isBehind(state) || state.placement == .onDemand ? .onDemand : .wait
    }

    /// Behind the line: less work done (net of the overhead still owed) than `elapsed / deadline`
    /// of the whole.
    private func isBehind(_ state: SpotPolicyState) -> Bool {
        let effectiveDone = state.workDoneSeconds - state.overheadLeftSeconds
        // effectiveDone / work < elapsed / deadline, in integers.
        return effectiveDone.multipliedFullWidth(by: state.job.deadlineSeconds)
            < state.elapsedSeconds.multipliedFullWidth(by: state.job.workSeconds)
    }

}
