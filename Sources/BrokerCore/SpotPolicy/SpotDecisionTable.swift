/// The gridbroker policy's plan for one job: a finite-horizon dynamic program over a semi-Markov
/// model of the zone, solved once (``SpotDecisionSolver``), then read at every decision.
///
/// State: work left and slack left (on a grid of ``stepSeconds``), where the job runs (nothing,
/// spot, on-demand, or a node still in its restart overhead), whether spot is available, and how
/// long the current spell of availability (or of its absence) has lasted (``SpellHazards`` age
/// buckets). Spells end by the hazards learned from the zone's history (``SpellDistribution``: the
/// history blended with a prior). Cost is in seconds of on-demand: on-demand time at 1, spot time at
/// the price ratio, overhead time included, during which spot may go away again. A state whose
/// slack runs out is infeasible. Minimising the expected cost prices what stationary rules cannot:
/// a restart against the wait it saves, and how much of the slack left a tight deadline can still
/// risk.
///
/// Modelling choices (assumed, not learned): the step is the restart overhead cut into whole steps
/// of about 10 minutes; availability changes between steps only; a node on spot is never moved to
/// on-demand by choice, nor one on on-demand stopped (``SpotPolicyState/mustRunOnDemand`` forces
/// on-demand when it must).
///
/// Only the decisions are kept, as the slacks where each choice starts or stops winning, per work
/// grid point and age bucket (about 4 × 240 × 17 numbers for 48 hours of work, a few times more when
/// the hazards change with the time of day): small to cache, and exact in slack between grid points
/// (``SlackCrossings``).
final class SpotDecisionTable: Sendable {
    /// Seconds per step of the grid.
    let stepSeconds: Double
    let runs: SpellHazards
    let outages: SpellHazards
    /// Grid points of work left, 0 to the job's work.
    private let workPoints: Int
    /// Per work grid point and age bucket (work-major), where in slack these choices win: waiting
    /// rather than starting on-demand, with no node and spot gone; spot rather than on-demand, with
    /// no node and spot there; waiting for that spot to age rather than either; going back to spot
    /// from on-demand.
    private let waitSlack: SlackCrossings
    private let spotSlack: SlackCrossings
    private let pauseSlack: SlackCrossings
    private let backSlack: SlackCrossings

    /// The cost of a state that cannot meet the deadline: finite, so that a probability of zero
    /// times it is zero, and far above any job's cost (seconds of on-demand).
    static let infeasible = 1e12
    /// What a choice must save, in seconds of on-demand, to beat the default (staying, starting on
    /// on-demand rather than waiting, on-demand rather than spot): a choice within rounding of
    /// its alternative would spend slack, or a restart, for nothing.
    static let tieSeconds = 1.0
    /// The most grid points of work, and of slack, a table has (80 hours at 12-minute steps): a
    /// job with more of either is decided by the thresholds at the grid's edge (more slack than the
    /// grid holds decides like its last row), so a deadline weeks away costs no more than 80 hours.
    static let maxGridPoints = 400
    /// The step aimed at, in seconds: about one tick of the traces the policy was built on.
    static let targetStepSeconds = 600.0

    /// The step for `overheadSeconds` of restart overhead: the overhead in whole steps of about
    /// ``targetStepSeconds`` (none for an overhead under half of it, which is then not modelled).
    static func step(overheadSeconds: Int64) -> (seconds: Double, overheadSteps: Int) {
        let overhead = Double(overheadSeconds)
        let steps = Int((overhead / targetStepSeconds).rounded())
        return steps == 0 ? (targetStepSeconds, 0) : (overhead / Double(steps), steps)
    }

    /// `day` scales the hazards by the time of day; the job starts `startSecondOfDay` seconds after a
    /// midnight.
    init(
        job: SpotJob, runs runLengths: SpellDistribution, outages outageLengths: SpellDistribution,
        day: SpotDayProfile = SpotDayProfile(), startSecondOfDay: Int64 = 0, spotPriceRatio: Double
    ) {
        let (dt, overheadSteps) = Self.step(overheadSeconds: job.restartOverheadSeconds)
        stepSeconds = dt
        runs = SpellHazards(runLengths, stepSeconds: dt)
        outages = SpellHazards(outageLengths, stepSeconds: dt)
        workPoints = min(Self.maxGridPoints, Int((Double(job.workSeconds) / dt).rounded(.up)) + 1)
        let slackPoints = min(
            Self.maxGridPoints, Int((Double(max(0, job.deadlineSeconds - job.workSeconds)) / dt).rounded(.up)) + 1)
        // The time of day of a state: the deadline less the time left (work and slack, in steps).
        let blockOfSteps = (0..<(workPoints + slackPoints)).map { steps in
            SpotDayProfile.block(
                at: startSecondOfDay + job.deadlineSeconds - Int64((Double(steps) * dt).rounded()))
        }
        var solver = SpotDecisionSolver(
            runs: runs, outages: outages, runFactors: day.runFactors, outageFactors: day.outageFactors,
            blockOfSteps: blockOfSteps, workPoints: workPoints, overheadSteps: overheadSteps, stepSeconds: dt,
            spotPriceRatio: spotPriceRatio)
        for slack in 0..<slackPoints { solver.solveRow(slack) }
        waitSlack = solver.wait.crossings()
        spotSlack = solver.spot.crossings()
        pauseSlack = solver.pause.crossings()
        backSlack = solver.back.crossings()
    }

    /// The decision for a job with `workLeft` and `slack` seconds, at `placement`, with spot
    /// `available` for (or gone since) `age` seconds.
    func decide(workLeft: Int64, slack: Int64, placement: SpotPlacement, available: Bool, age: Double)
        -> SpotDecision
    {
        let slack = Float(slack)
        switch (placement, available) {
        case (.spot, _):
            return .spot
        case (.onDemand, false):
            return .onDemand
        case (.onDemand, true):
            return wins(backSlack, slack, workLeft, runs.bucket(ofAge: age)) ? .spot : .onDemand
        case (.none, true):
            let bucket = runs.bucket(ofAge: age)
            if wins(pauseSlack, slack, workLeft, bucket) { return .wait }
            return wins(spotSlack, slack, workLeft, bucket) ? .spot : .onDemand
        case (.none, false):
            return wins(waitSlack, slack, workLeft, outages.bucket(ofAge: age)) ? .wait : .onDemand
        }
    }

    /// Whether the choice of `crossings` wins at `slack`, `workLeft` seconds and age bucket `age`:
    /// between the two work grid points around `workLeft`.
    private func wins(_ crossings: SlackCrossings, _ slack: Float, _ workLeft: Int64, _ age: Int) -> Bool {
        let ages = runs.edges.count
        let x = min(Double(workPoints - 1), max(0, Double(workLeft) / stepSeconds))
        let low = Int(x)
        let high = min(low + 1, workPoints - 1)
        return crossings.wins(
            at: slack, between: low * ages + age, and: high * ages + age, fraction: Float(x - Double(low)))
    }
}
