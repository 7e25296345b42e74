/// Plans the cheapest run of a job through a known trace.
///
/// The exact argument: in an optimal plan every spot segment is a whole availability run (clipped
/// at the deadline; starting later or leaving earlier only trades spot for dearer time), and
/// on-demand, if any, is one segment per gap between consecutive used runs (two segments in one
/// gap pay one more overhead for nothing). With `p` seconds of spot progress over `m` runs and `k`
/// on-demand segments, the cost is `spot × (p + m·overhead) + on-demand × (work − p + k·overhead)`,
/// feasible when the on-demand windows hold the rest of the work. The planner searches the choices
/// of runs and windows as a dynamic program over the runs in time order, keeping for each run the
/// Pareto set of (spot progress, total capacity, runs, windows) and pruning with a lower bound
/// against the best complete plan so far.
public struct OmniscientPlanner: Sendable {
    public var trace: SpotTrace
    public var job: SpotJob
    public var prices: SpotPrices

    public init(trace: SpotTrace, job: SpotJob, prices: SpotPrices = .paper) {
        self.trace = trace
        self.job = job
        self.prices = prices
    }

    /// A state of the search: a partial plan whose last used spot run is `node`.
    private struct Entry {
        var spotProgress: Int64
        var capacity: Int64
        var runs: Int
        var windows: Int
        var node: Int
        var parent: Int
        var windowBefore: Bool

        func dominates(_ other: Entry) -> Bool {
            spotProgress >= other.spotProgress && capacity >= other.capacity && runs <= other.runs
                && windows <= other.windows
        }
    }

    /// The best plan for a job starting at trace tick `start`.
    ///
    /// `knownCost`, the cost of any run of the job from `start` (a policy's replay, say), only
    /// speeds the search up: no plan that costs more is explored, and the best plan never does.
    public func plan(from start: Int, knownCost: Money? = nil) -> OmniscientPlan {
        let work = job.workSeconds
        let overhead = job.restartOverheadSeconds
        let runs = spotRuns(from: start)
        var suffixCapacity = [Int64](repeating: 0, count: runs.count + 1)
        for index in runs.indices.reversed() {
            suffixCapacity[index] = suffixCapacity[index + 1] + runs[index].capacitySeconds
        }
        func cost(_ entry: Entry) -> Money {
            prices.spotPerHour.cost(forSeconds: entry.spotProgress + Int64(entry.runs) * overhead)
                + prices.onDemandPerHour.cost(
                    forSeconds: work - entry.spotProgress + Int64(entry.windows) * overhead)
        }
        func endSeconds(_ node: Int) -> Int64 { node < 0 ? 0 : endOfRun(runs[node]) }
        func endTick(_ node: Int) -> Int { node < 0 ? 0 : runs[node].ticks.upperBound }

        var pool = [Entry(spotProgress: 0, capacity: 0, runs: 0, windows: 0, node: -1, parent: -1, windowBefore: false)]
        var pending = [[Int]](repeating: [], count: runs.count)
        // Always feasible when the deadline leaves room for one start: on-demand from the start.
        var best = (cost: prices.onDemandPerHour.cost(forSeconds: work + overhead), entry: 0, finalWindow: true)
        // Plans must beat this; a known run's cost (plus a micro-dollar, so a plan matching it is kept).
        var bound = min(best.cost, (knownCost ?? best.cost) + Money(microdollars: 1))

        /// No plan through `entry` costs less: every later run used at no further overhead, and one more
        /// on-demand window when even that leaves work the entry's windows cannot hold.
        func lowerBound(_ entry: Entry) -> Money {
            var optimistic = entry
            optimistic.spotProgress = min(work, entry.spotProgress + suffixCapacity[entry.node + 1])
            if optimistic.spotProgress < work && entry.capacity + suffixCapacity[entry.node + 1] < work {
                optimistic.windows += 1
            }
            return cost(optimistic)
        }

        func expand(_ index: Int) {
            let entry = pool[index]
            let end = endSeconds(entry.node)
            let finalWindow = job.deadlineSeconds - end - overhead
            if entry.capacity >= work, cost(entry) < bound {
                best = (cost(entry), index, false)
                bound = best.cost
            }
            if entry.spotProgress < work && finalWindow > 0 && min(work, entry.capacity + finalWindow) >= work {
                var finished = entry
                finished.windows += 1
                if cost(finished) < bound {
                    best = (cost(finished), index, true)
                    bound = best.cost
                }
            }
            guard entry.spotProgress < work else { return }
            for next in (entry.node + 1)..<runs.count {
                let run = runs[next]
                let window = Int64(run.ticks.lowerBound) * trace.tickSeconds - end - overhead
                for windowBefore in window > 0 ? [false, true] : [false] {
                    let child = Entry(
                        spotProgress: min(work, entry.spotProgress + run.capacitySeconds),
                        capacity: min(work, entry.capacity + run.capacitySeconds + (windowBefore ? window : 0)),
                        runs: entry.runs + 1, windows: entry.windows + (windowBefore ? 1 : 0),
                        node: next, parent: index, windowBefore: windowBefore)
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

        // Walk back from the best complete plan.
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
                let start = Int64(runs[entry.node].ticks.lowerBound) * trace.tickSeconds
                let previous = pool[entry.parent].node
                windows.append(
                    .init(
                        ticks: endTick(previous)..<runs[entry.node].ticks.lowerBound,
                        capacitySeconds: start - endSeconds(previous) - overhead))
            }
            index = entry.parent
        }
        return OmniscientPlan(spotRuns: spot.reversed(), onDemandWindows: windows.reversed(), lowerBound: best.cost)
    }

    private func endOfRun(_ run: OmniscientPlan.Stretch) -> Int64 {
        min(Int64(run.ticks.upperBound) * trace.tickSeconds, job.deadlineSeconds)
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
