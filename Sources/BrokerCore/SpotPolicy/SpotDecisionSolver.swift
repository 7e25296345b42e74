/// The backward induction behind ``SpotDecisionTable``, one row of slack at a time: a row's values
/// depend only on the row itself (progress keeps the slack) and on the row one step of slack below
/// (waiting, or a step of restart overhead, spends one), so two rows are kept.
///
/// Values are expected costs to the end in seconds of on-demand, per work grid point and spell age
/// bucket, for each situation: on spot (spot there), on on-demand with spot there or gone, no node
/// with spot gone or there, and a node starting on spot or on-demand with `m` overhead steps left.
/// While it goes, it records where in slack each choice starts and stops winning
/// (``SlackCrossingRecorder``).
struct SpotDecisionSolver {
    /// Per block of the day and age bucket (block-major), the probability that a spell ends within
    /// a step; per age bucket, that one going on moves to the next bucket.
    private let runEnds: [Double]
    private let outageEnds: [Double]
    private let runAdvance: [Double]
    private let outageAdvance: [Double]
    /// The block of the day, by time left in steps (work plus slack).
    private let blockOfSteps: [Int]
    private let workPoints: Int
    private let overheadSteps: Int
    private let stepSeconds: Double
    private let spotPriceRatio: Double
    private let ages: Int
    /// This row's values and the row below's, slot after slot (see ``Slot``), each slot
    /// `workPoints × ages`, work-major.
    private var row: [Double]
    private var below: [Double]
    /// Per work grid point and age bucket (work-major), up to the row last solved: with no node and
    /// spot gone, waiting against starting on-demand (`wait`); with no node and spot there, spot
    /// against on-demand (`spot`), and waiting for the spell to age against the better of the two
    /// (`pause`); on on-demand with spot there, going back to spot against staying (`back`).
    private(set) var wait: SlackCrossingRecorder
    private(set) var spot: SlackCrossingRecorder
    private(set) var pause: SlackCrossingRecorder
    private(set) var back: SlackCrossingRecorder

    /// The situations valued, as slots of a row; then, for `m` from 1 to the overhead steps, a node
    /// starting on spot, on on-demand with spot there, on on-demand with spot gone, with `m` steps
    /// of overhead left (``starting(_:_:)``).
    private enum Slot: Int {
        case onSpot, onDemandRun, onDemandOutage, idleOutage, idleRun
        static let count = 5
    }

    /// `runFactors` and `outageFactors` scale the hazards in each block of the day that
    /// `blockOfSteps` names.
    init(
        runs: SpellHazards, outages: SpellHazards, runFactors: [Double], outageFactors: [Double],
        blockOfSteps: [Int], workPoints: Int, overheadSteps: Int, stepSeconds: Double, spotPriceRatio: Double
    ) {
        precondition(runs.edges.count == outages.edges.count, "runs and outages share their age buckets")
        precondition(runFactors.count == outageFactors.count, "runs and outages share their blocks of the day")
        runEnds = runFactors.flatMap { runs.end(scaledBy: $0) }
        outageEnds = outageFactors.flatMap { outages.end(scaledBy: $0) }
        runAdvance = runs.advance
        outageAdvance = outages.advance
        self.blockOfSteps = blockOfSteps
        self.workPoints = workPoints
        self.overheadSteps = overheadSteps
        self.stepSeconds = stepSeconds
        self.spotPriceRatio = spotPriceRatio
        ages = runs.edges.count
        // Below slack zero, every state is infeasible, except with the work done (work point 0).
        let slots = Slot.count + 3 * overheadSteps
        let slotSize = workPoints * ages
        below = Array(repeating: SpotDecisionTable.infeasible, count: slots * slotSize)
        for slot in 0..<slots {
            for age in 0..<ages { below[slot * slotSize + age] = 0 }
        }
        row = below
        wait = SlackCrossingRecorder(cells: slotSize)
        spot = wait
        pause = wait
        back = wait
    }

    /// The slot of a node starting with `m` overhead steps left: `kind` 0 on spot, 1 on on-demand
    /// with spot there, 2 on on-demand with spot gone.
    private static func starting(_ m: Int, _ kind: Int) -> Int { Slot.count + 3 * (m - 1) + kind }

    /// Solves the row `slack` steps of slack, the rows below solved before it, in order.
    ///
    /// Written as plain index arithmetic over buffers (no closures): the tests run it unoptimised.
    mutating func solveRow(_ slack: Int) {
        if slack > 0 { swap(&row, &below) }
        let dt = stepSeconds
        let rho = spotPriceRatio
        let ages = ages
        let k = overheadSteps
        let slotSize = workPoints * ages
        let infeasible = SpotDecisionTable.infeasible
        let runEnds = runEnds
        let runAdvance = runAdvance
        let outageEnds = outageEnds
        let outageAdvance = outageAdvance
        let blockOfSteps = blockOfSteps
        // Where each slot begins.
        let onSpot = Slot.onSpot.rawValue * slotSize
        let onDemandRun = Slot.onDemandRun.rawValue * slotSize
        let onDemandOutage = Slot.onDemandOutage.rawValue * slotSize
        let idleOutage = Slot.idleOutage.rawValue * slotSize
        let idleRun = Slot.idleRun.rawValue * slotSize
        // A start: the node runs once through its overhead.
        let spotStart = k == 0 ? onSpot : Self.starting(k, 0) * slotSize
        let runStart = k == 0 ? onDemandRun : Self.starting(k, 1) * slotSize
        let outageStart = k == 0 ? onDemandOutage : Self.starting(k, 2) * slotSize
        // Taken out of `self` while the row is solved, so that recording does not copy them.
        var wait = SlackCrossingRecorder(cells: 0)
        var pause = wait
        var spot = wait
        var back = wait
        swap(&wait, &self.wait)
        swap(&pause, &self.pause)
        swap(&spot, &self.spot)
        swap(&back, &self.back)
        below.withUnsafeBufferPointer { below in
            row.withUnsafeMutableBufferPointer { row in
                let current = UnsafeBufferPointer(row)
                for work in 1..<workPoints {
                    let here = work * ages
                    let done = here - ages
                    // The hazards of the block of the day this state falls in.
                    let block = blockOfSteps[min(work + slack, blockOfSteps.count - 1)] * ages
                    // Nodes in their overhead: a step of no progress, from the row below.
                    for m in stride(from: 1, through: k, by: 1) {
                        let spotNext = m == 1 ? onSpot : Self.starting(m - 1, 0) * slotSize
                        let runNext = m == 1 ? onDemandRun : Self.starting(m - 1, 1) * slotSize
                        let outageNext = m == 1 ? onDemandOutage : Self.starting(m - 1, 2) * slotSize
                        let spotNow = Self.starting(m, 0) * slotSize
                        let runNow = Self.starting(m, 1) * slotSize
                        let outageNow = Self.starting(m, 2) * slotSize
                        for age in 0..<ages {
                            let older = min(age + 1, ages - 1)
                            let end = runEnds[block + age]
                            let gone = outageEnds[block + age]
                            row[spotNow + here + age] =
                                Self.step(
                                    cost: rho * dt, below, spotNext + here, age, older, end: end,
                                    advance: runAdvance[age], ended: below[idleOutage + here])
                            row[runNow + here + age] =
                                Self.step(
                                    cost: dt, below, runNext + here, age, older, end: end, advance: runAdvance[age],
                                    ended: below[outageNext + here])
                            row[outageNow + here + age] =
                                Self.step(
                                    cost: dt, below, outageNext + here, age, older, end: gone,
                                    advance: outageAdvance[age], ended: below[runNext + here])
                        }
                    }
                    // Running nodes: a step of progress, in this row.
                    for age in 0..<ages {
                        let older = min(age + 1, ages - 1)
                        let end = runEnds[block + age]
                        row[onSpot + here + age] =
                            Self.step(
                                cost: rho * dt, current, onSpot + done, age, older, end: end, advance: runAdvance[age],
                                ended: current[idleOutage + done])
                        let gone = outageEnds[block + age]
                        row[onDemandOutage + here + age] =
                            Self.step(
                                cost: dt, current, onDemandOutage + done, age, older, end: gone,
                                advance: outageAdvance[age], ended: current[onDemandRun + done])
                    }
                    for age in 0..<ages {
                        let older = min(age + 1, ages - 1)
                        let end = runEnds[block + age]
                        let stay =
                            Self.step(
                                cost: dt, current, onDemandRun + done, age, older, end: end, advance: runAdvance[age],
                                ended: current[onDemandOutage + done])
                        let toSpot = current[spotStart + here + age]
                        row[onDemandRun + here + age] = min(stay, toSpot)
                        back.record(cell: here + age, choice: toSpot, alternative: stay, row: slack, stepSeconds: dt)
                    }
                    // No node: wait a step (to the row below), or start one.
                    for age in 0..<ages {
                        let older = min(age + 1, ages - 1)
                        let gone = outageEnds[block + age]
                        let waiting =
                            slack == 0
                            ? infeasible
                            : Self.step(
                                cost: 0, below, idleOutage + here, age, older, end: gone, advance: outageAdvance[age],
                                ended: below[idleRun + here])
                        let onDemand = current[outageStart + here + age]
                        row[idleOutage + here + age] = min(waiting, onDemand)
                        wait.record(
                            cell: here + age, choice: waiting, alternative: onDemand, row: slack, stepSeconds: dt)
                        let onSpot = current[spotStart + here + age]
                        let onDemandNow = current[runStart + here + age]
                        let start = min(onSpot, onDemandNow)
                        spot.record(
                            cell: here + age, choice: onSpot, alternative: onDemandNow, row: slack, stepSeconds: dt)
                        // Spot that just came back may flicker: waiting a step for it to age can pay.
                        let end = runEnds[block + age]
                        let pausing =
                            slack == 0
                            ? infeasible
                            : Self.step(
                                cost: 0, below, idleRun + here, age, older, end: end, advance: runAdvance[age],
                                ended: below[idleOutage + here])
                        row[idleRun + here + age] = min(start, pausing)
                        pause.record(cell: here + age, choice: pausing, alternative: start, row: slack, stepSeconds: dt)
                    }
                }
            }
        }
        swap(&wait, &self.wait)
        swap(&pause, &self.pause)
        swap(&spot, &self.spot)
        swap(&back, &self.back)
    }

    /// The value of a step that costs `cost`, after which the spell goes on with probability
    /// 1 − `end` (a bucket older, `older`, with probability `advance`, else the same, in `values`
    /// from `base`), or ends and the state is worth `ended`.
    @inline(__always)
    private static func step(
        cost: Double, _ values: UnsafeBufferPointer<Double>, _ base: Int, _ age: Int, _ older: Int, end: Double,
        advance: Double, ended: Double
    ) -> Double {
        cost + (1 - end) * (advance * values[base + older] + (1 - advance) * values[base + age]) + end * ended
    }
}
