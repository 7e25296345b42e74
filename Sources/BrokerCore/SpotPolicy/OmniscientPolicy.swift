/// Follows an ``OmniscientPlan``: spot on the planned runs; in an on-demand window, on-demand while
/// the work left is more than the later runs and windows of the plan can do. Once that is covered,
/// a node already on on-demand finishes the job there when that is no dearer than the rest of the
/// plan (the plan counts on-demand by the second, but a window can only stop at a tick's end).
public struct OmniscientPolicy: SpotPolicy {
    private struct Stretch {
        var ticks: Range<Int>
        var capacitySeconds: Int64
        var isSpot: Bool
        /// What the plan's stretches after this one can do.
        var laterCapacitySeconds: Int64
    }

    private let stretches: [Stretch]
    /// The stretch each tick belongs to, if any.
    private let stretchAtTick: [Int?]
    private let prices: SpotPrices
    private let restartOverheadSeconds: Int64

    public init(plan: OmniscientPlan, job: SpotJob, prices: SpotPrices = .paper) {
        var stretches = (plan.spotRuns.map { ($0, true) } + plan.onDemandWindows.map { ($0, false) })
            .sorted { $0.0.ticks.lowerBound < $1.0.ticks.lowerBound }
            .map {
                Stretch(ticks: $0.0.ticks, capacitySeconds: $0.0.capacitySeconds, isSpot: $0.1, laterCapacitySeconds: 0)
            }
        var later: Int64 = 0
        for index in stretches.indices.reversed() {
            stretches[index].laterCapacitySeconds = later
            later += stretches[index].capacitySeconds
        }
        var stretchAtTick = [Int?](repeating: nil, count: stretches.last?.ticks.upperBound ?? 0)
        for (index, stretch) in stretches.enumerated() {
            for tick in stretch.ticks { stretchAtTick[tick] = index }
        }
        self.stretches = stretches
        self.stretchAtTick = stretchAtTick
        self.prices = prices
        self.restartOverheadSeconds = job.restartOverheadSeconds
    }

    /// Plans with `planner` for a start at trace tick `start`.
    public init(planner: OmniscientPlanner, start: Int) {
        self.init(plan: planner.plan(from: start), job: planner.job, prices: planner.prices)
    }

    public var name: String { "omniscient" }

    public func decide(_ state: SpotPolicyState) -> SpotDecision {
        // Past the plan (it never gets there when the deadline is feasible): finish on on-demand.
        guard state.tick < stretchAtTick.count else { return .onDemand }
        guard let index = stretchAtTick[state.tick] else { return .wait }
        let stretch = stretches[index]
        if stretch.isSpot { return .spot }
        let workLeft = state.workLeftSeconds
        if workLeft > stretch.laterCapacitySeconds { return .onDemand }
        let finishHere = prices.onDemandPerHour.cost(forSeconds: workLeft)
        return state.placement == .onDemand && finishHere <= costOfPlan(after: index, workLeft: workLeft)
            ? .onDemand : .wait
    }

    /// What following the plan after stretch `index` costs for `workLeft` seconds of work.
    private func costOfPlan(after index: Int, workLeft: Int64) -> Money {
        var left = workLeft
        var cost = Money.zero
        for stretch in stretches[(index + 1)...] where left > 0 {
            let share =
                stretch.isSpot
                ? min(stretch.capacitySeconds, left) : max(0, left - stretch.laterCapacitySeconds)
            guard share > 0 else { continue }
            cost =
                cost
                + prices.perHour(stretch.isSpot ? .spot : .onDemand).cost(forSeconds: share + restartOverheadSeconds)
            left -= share
        }
        return cost
    }
}
