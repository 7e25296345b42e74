/// Runs a policy over a trace, tick by tick, the way a broker would live through it.
///
/// Rules of the replay, shared by every policy:
/// - A spot node running when spot disappears is preempted: the job is back to no node, and the
///   policy decides again in the same tick.
/// - Every start of a node (from nothing, a switch of market, after a preemption) owes the job's
///   restart overhead: the node bills but makes no progress until it is through.
/// - A `.spot` decision while spot is unavailable waits instead.
/// - From the end of the trace on, the policy is no longer asked: the rest runs on on-demand,
///   which is always available.
/// - Each tick is billed with `Money.cost(forSeconds:)` for the seconds used; the last tick only up
///   to the moment the work is done.
public struct SpotReplay: Sendable {
    public var trace: SpotTrace
    public var job: SpotJob
    public var prices: SpotPrices

    public init(trace: SpotTrace, job: SpotJob, prices: SpotPrices = .paper) {
        precondition(job.workSeconds > 0, "a job needs some work")
        self.trace = trace
        self.job = job
        self.prices = prices
    }

    /// Replays `policy` from trace tick `start` until the work is done.
    public func run(_ policy: some SpotPolicy, from start: Int) -> SpotRunResult {
        var policy = policy
        let tickSeconds = trace.tickSeconds
        var state = SpotPolicyState(
            job: job, tickSeconds: tickSeconds, tick: 0, workDoneSeconds: 0, placement: .none,
            overheadLeftSeconds: 0, spotAvailable: false)
        var cost = Money.zero
        var starts = 0
        var actions: [UInt8] = []
        while true {
            let traceTick = start + state.tick
            state.spotAvailable = trace.isAvailable(at: traceTick)
            if state.placement == .spot && !state.spotAvailable {
                state.placement = .none
                state.overheadLeftSeconds = 0
            }
            var decision = traceTick < trace.count ? policy.decide(state) : .onDemand
            if decision == .spot && !state.spotAvailable { decision = .wait }
            let placement = decision.placement
            if placement != state.placement {
                state.placement = placement
                state.overheadLeftSeconds = placement == .none ? 0 : job.restartOverheadSeconds
                if placement != .none { starts += 1 }
            }
            actions.append(placement.letter)
            if placement != .none {
                let overhead = min(state.overheadLeftSeconds, tickSeconds)
                state.overheadLeftSeconds -= overhead
                let progress = tickSeconds - overhead
                if progress >= state.workLeftSeconds {
                    let used = overhead + state.workLeftSeconds
                    cost += prices.perHour(placement).cost(forSeconds: used)
                    return SpotRunResult(
                        cost: cost, finishedAtSeconds: state.elapsedSeconds + used, starts: starts,
                        actions: String(decoding: actions, as: UTF8.self))
                }
                state.workDoneSeconds += progress
                cost += prices.perHour(placement).cost(forSeconds: tickSeconds)
            }
            state.tick += 1
        }
    }
}
