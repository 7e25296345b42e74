/// The rules a replayed run follows once a tick's placement is known, shared by ``SpotReplay`` and
/// ``MultiZoneReplay``: restart overheads, progress, and exact billing (see ``SpotReplay``).
struct SpotRunLedger {
    let prices: SpotPrices
    private var cost = Money.zero
    private var starts = 0
    /// One letter a tick (see ``SpotRunResult/actions``).
    private var actions: [UInt8] = []

    init(prices: SpotPrices) {
        self.prices = prices
    }

    /// Runs the tick `state` describes on `placement`, then moves `state` to the next tick.
    ///
    /// `newNode`: the tick's node is not the one `state` holds (a start from nothing, a switch of
    /// market or zone); a new node owes the job's restart overhead. `action` is the tick's letter
    /// (the placement's unless given: a multi-zone run names the zone). Returns the run's result
    /// when the work is done during the tick, billed up to the second it is done.
    mutating func run(
        _ placement: SpotPlacement, newNode: Bool, state: inout SpotPolicyState, action: UInt8? = nil
    ) -> SpotRunResult? {
        actions.append(action ?? placement.letter)
        state.placement = placement
        if newNode {
            state.overheadLeftSeconds = placement == .none ? 0 : state.job.restartOverheadSeconds
            if placement != .none { starts += 1 }
        }
        if placement != .none {
            let tickSeconds = state.tickSeconds
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
        return nil
    }
}

extension SpotPolicyState {
    /// The spot node is preempted: no node, nothing owed.
    mutating func preempt() {
        placement = .none
        overheadLeftSeconds = 0
    }
}
