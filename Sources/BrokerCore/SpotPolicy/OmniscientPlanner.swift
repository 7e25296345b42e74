/// Plans the cheapest run of a job through a known trace.
///
/// The exact argument. In an optimal plan every spot segment is a whole availability run (clipped
/// at the deadline: starting later or leaving earlier only trades spot for dearer time), and
/// on-demand, if any, is one segment per gap between consecutive used runs (two in one gap pay one
/// more overhead for nothing). With `p` seconds of spot progress over `m` runs and `k` on-demand
/// segments, the cost is `spot × (p + m·overhead) + on-demand × (work − p + k·overhead)`, feasible
/// when the on-demand windows hold the rest of the work. Two cases:
/// - spot alone does the work (`p` reaches it): the cost is `spot × (work + m·overhead)`, so the
///   best such plan rides the fewest runs, the longest ones;
/// - otherwise on-demand does the rest, and every run outside the on-demand windows that can do
///   more than `spot × overhead / (on-demand − spot)` of work is used (riding it saves more
///   on-demand than its overhead costs; if it lets spot do all the work, the first case is cheaper
///   still). The planner searches these plans as a dynamic program over the runs in time order,
///   keeping for each run the Pareto set of (spot progress, capacity, overhead cost) and pruning
///   with a lower bound against the best complete plan so far.
public struct OmniscientPlanner: Sendable {
    public var trace: SpotTrace
    public var job: SpotJob
    public var prices: SpotPrices

    public init(trace: SpotTrace, job: SpotJob, prices: SpotPrices = .paper) {
        self.trace = trace
        self.job = job
        self.prices = prices
    }

    /// A partial plan of the second case whose last used spot run is `node`.
    private struct Entry {
        /// Work the used runs do (always less than the job's).
        var spotProgress: Int64
        /// Work the used runs and the on-demand windows can do, up to the job's.
        var capacity: Int64
        /// The overheads paid so far.
        var overheads: Money
        var node: Int
        var parent: Int
        var windowBefore: Bool

        func dominates(_ other: Entry) -> Bool {
            spotProgress >= other.spotProgress && capacity >= other.capacity && overheads <= other.overheads
        }
    }

    /// The best plan for a job starting at trace tick `start`.
    ///
    /// `knownCost`, the cost of any run of the job from `start` (a policy's replay, say), only
    /// speeds the search up: no plan that costs more is explored, and the best plan never does.
    public func plan(from start: Int, knownCost: Money? = nil) -> OmniscientPlan {
        let runs = spotRuns(from: start)
        let work = job.workSeconds
        let overhead = job.restartOverheadSeconds
        let spotOverhead = prices.spotPerHour.cost(forSeconds: overhead)
        let onDemandOverhead = prices.onDemandPerHour.cost(forSeconds: overhead)
        func cost(_ entry: Entry) -> Money {
            prices.spotPerHour.cost(forSeconds: entry.spotProgress)
                + prices.onDemandPerHour.cost(forSeconds: work - entry.spotProgress) + entry.overheads
        }
        func endSeconds(_ node: Int) -> Int64 {
            node < 0 ? 0 : min(Int64(runs[node].ticks.upperBound) * trace.tickSeconds, job.deadlineSeconds)
        }
        func endTick(_ node: Int) -> Int { node < 0 ? 0 : runs[node].ticks.upperBound }
        var suffixCapacity = [Int64](repeating: 0, count: runs.count + 1)
        for index in runs.indices.reversed() {
            suffixCapacity[index] = suffixCapacity[index + 1] + runs[index].capacitySeconds
        }
        /// Runs too short to be worth their overhead when on-demand does the rest.
        let isShort = runs.map {
            prices.onDemandPerHour.cost(forSeconds: $0.capacitySeconds)
                <= prices.spotPerHour.cost(forSeconds: $0.capacitySeconds) + spotOverhead
        }

        // Case 1: spot alone, on the fewest (longest) runs.
        let longest = runs.indices.sorted { runs[$0].capacitySeconds > runs[$1].capacitySeconds }
        var covered: Int64 = 0
        let spotOnly = longest.prefix { index in
            defer { covered += runs[index].capacitySeconds }
            return covered < work
        }
        // On-demand from the start is always a plan (the deadline leaves room for one start).
        var best = (
            cost: prices.onDemandPerHour.cost(forSeconds: work) + onDemandOverhead, entry: -1, finalWindow: true
        )
        let spotOnlyCost = prices.spotPerHour.cost(forSeconds: work) + spotOverhead * spotOnly.count
        if covered >= work && spotOnlyCost < best.cost { best = (spotOnlyCost, -2, false) }
        var bound = min(best.cost, (knownCost ?? best.cost) + Money(microdollars: 1))

        // Case 2: the search.
        var pool = [Entry(spotProgress: 0, capacity: 0, overheads: .zero, node: -1, parent: -1, windowBefore: false)]
        var pending = [[Int]](repeating: [], count: runs.count)

        /// No plan through `entry` costs less: every later run used at no further overhead, and one more
        /// on-demand window when even that leaves work the entry's windows cannot hold.
        func lowerBound(_ entry: Entry) -> Money {
            var optimistic = entry
            optimistic.spotProgress = min(work, entry.spotProgress + suffixCapacity[entry.node + 1])
            if entry.capacity + suffixCapacity[entry.node + 1] < work { optimistic.overheads += onDemandOverhead }
            return cost(optimistic)
        }

        func expand(_ index: Int) {
            let entry = pool[index]
            let end = endSeconds(entry.node)
            let finalWindow = job.deadlineSeconds - end - overhead
            if entry.capacity >= work && cost(entry) < bound {
                best = (cost(entry), index, false)
                bound = best.cost
            }
            if finalWindow > 0 && entry.capacity + finalWindow >= work {
                var finished = entry
                finished.overheads += onDemandOverhead
                if cost(finished) < bound {
                    best = (cost(finished), index, true)
                    bound = best.cost
                }
            }
            var skippedOnlyShortRuns = true
            for next in (entry.node + 1)..<runs.count {
                defer { skippedOnlyShortRuns = skippedOnlyShortRuns && isShort[next] }
                let run = runs[next]
                // Spot doing all the work is case 1.
                guard entry.spotProgress + run.capacitySeconds < work else { continue }
                let window = Int64(run.ticks.lowerBound) * trace.tickSeconds - end - overhead
                for windowBefore in [false, true] {
                    guard windowBefore ? window > 0 : skippedOnlyShortRuns else { continue }
                    var child = Entry(
                        spotProgress: entry.spotProgress + run.capacitySeconds,
                        capacity: min(work, entry.capacity + run.capacitySeconds + (windowBefore ? window : 0)),
                        overheads: entry.overheads + spotOverhead, node: next, parent: index,
                        windowBefore: windowBefore)
                    if windowBefore { child.overheads += onDemandOverhead }
                    guard lowerBound(child) < bound else { continue }
                    pool.append(child)
                    pending[next].append(pool.count - 1)
                }
            }
        }

        expand(0)
        for node in runs.indices {
            var kept: [Int] = []
            let candidates = pending[node].sorted { pool[$0].spotProgress > pool[$1].spotProgress }
            for candidate in candidates where lowerBound(pool[candidate]) < bound {
                if kept.contains(where: { pool[$0].dominates(pool[candidate]) }) { continue }
                kept.append(candidate)
            }
            pending[node] = []
            for index in kept where lowerBound(pool[index]) < bound { expand(index) }
        }

        // Case 1 won, or on-demand alone.
        guard best.entry >= 0 else {
            let used = best.entry == -2 ? spotOnly.sorted().map { runs[$0] } : []
            let windows: [OmniscientPlan.Stretch] =
                best.entry == -2
                ? []
                : [
                    .init(
                        ticks: 0..<trace.ticks(covering: job.deadlineSeconds),
                        capacitySeconds: job.deadlineSeconds - overhead)
                ]
            return OmniscientPlan(spotRuns: used, onDemandWindows: windows, lowerBound: best.cost)
        }
        // Walk back from the best plan of case 2.
        var spot: [OmniscientPlan.Stretch] = []
        var windows: [OmniscientPlan.Stretch] = []
        var index = best.entry
        if best.finalWindow {
            let node = pool[index].node
            windows.append(
                .init(
                    ticks: endTick(node)..<trace.ticks(covering: job.deadlineSeconds),
                    capacitySeconds: job.deadlineSeconds - endSeconds(node) - overhead))
        }
        while pool[index].node >= 0 {
            let entry = pool[index]
            spot.append(runs[entry.node])
            if entry.windowBefore {
                let previous = pool[entry.parent].node
                windows.append(
                    .init(
                        ticks: endTick(previous)..<runs[entry.node].ticks.lowerBound,
                        capacitySeconds: Int64(runs[entry.node].ticks.lowerBound) * trace.tickSeconds
                            - endSeconds(previous) - overhead))
            }
            index = entry.parent
        }
        return OmniscientPlan(spotRuns: spot.reversed(), onDemandWindows: windows.reversed(), lowerBound: best.cost)
    }

    /// The runs of spot availability in the ticks before the deadline that can do some work.
    private func spotRuns(from start: Int) -> [OmniscientPlan.Stretch] {
        let ticks = trace.ticks(covering: job.deadlineSeconds)
        var runs: [OmniscientPlan.Stretch] = []
        var tick = 0
        while tick < ticks {
            guard trace.isAvailable(at: start + tick) else {
                tick += 1
                continue
            }
            let first = tick
            while tick < ticks && trace.isAvailable(at: start + tick) { tick += 1 }
            let seconds = min(Int64(tick) * trace.tickSeconds, job.deadlineSeconds) - Int64(first) * trace.tickSeconds
            let capacity = seconds - job.restartOverheadSeconds
            if capacity > 0 { runs.append(.init(ticks: first..<tick, capacitySeconds: capacity)) }
        }
        return runs
    }
}
