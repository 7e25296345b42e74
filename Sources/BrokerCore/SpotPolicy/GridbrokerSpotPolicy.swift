/// gridbroker's policy for `market: auto`: learns from the zone's history how long spot stays when
/// it comes and how long it stays away when it goes, and spends the job's slack where that history
/// says it buys the most spot.
///
/// From the history it builds, once, a menu of stationary strategies (``SpotStrategy``: how long to
/// wait into an outage before on-demand, how long spot must have been back before leaving on-demand
/// for it), each with its long-run cost and lost time per second of progress. At every decision it
/// takes the cheapest strategy whose lost time, over the work left, fits in the slack left
/// (`slackRateFactor` × spare slack ÷ work left, the spare keeping `reserveOverheads` restart
/// overheads aside): rate matching, so a job that lost time to a long outage grows more careful,
/// and one that got lucky waits more. Then:
/// - on spot: stay while it lasts;
/// - with no node: spot if available; otherwise wait while the outage is younger than the
///   strategy's wait, then on-demand;
/// - on on-demand: back to spot once it has been available for the strategy's return age (spot that
///   has lasted longer is expected to last longer still), with at least `returnWorkOverheads`
///   restart overheads of work left.
///
/// Its memory is time, not ticks: when the current spell of availability (or of its absence)
/// began, in seconds after the job's start (before it, from the history's last spell), so calls
/// every few seconds and calls every trace tick decide alike at the same times. Decisions are a pure
/// function of the initial value and the states passed in. Deadline-safe through
/// ``SpotPolicyState/mustRunOnDemand``. The constants were tuned on the "Can't Be Late" traces.
public struct GridbrokerSpotPolicy: SpotPolicy, Codable, Equatable {
    /// The share of the spare slack per second of work left that the chosen strategy may lose.
    static let slackRateFactor = 1.1
    /// Slack kept aside from the rate matching, in restart overheads.
    static let reserveOverheads: Int64 = 2
    /// Going back to spot needs at least this many restart overheads of work left.
    static let returnWorkOverheads: Int64 = 5
    /// The prior on spell lengths, in seconds, and its weight in spells: what the policy believes of
    /// a zone with no history, and what a short history is blended with.
    static let priorMeanSeconds = 7200.0
    static let priorWeight = 20.0

    public let job: SpotJob
    public let history: SpotHistory
    public let prices: SpotPrices
    /// Whether spot was available at the last decision.
    private var spellAvailable: Bool
    /// When the spell of `spellAvailable` began, in seconds after the job's start.
    private var spellStartSeconds: Int64
    /// The strategies, from ``job``, ``history`` and ``prices`` (not persisted: rebuilt on decoding).
    private let strategies: [SpotStrategy]

    public init(job: SpotJob, history: SpotHistory, prices: SpotPrices = .paper) {
        self.job = job
        self.history = history
        self.prices = prices
        spellAvailable = history.endsAvailable
        spellStartSeconds = -history.endingSpellSeconds
        strategies = Self.strategies(job: job, history: history, prices: prices)
    }

    private static func strategies(job: SpotJob, history: SpotHistory, prices: SpotPrices) -> [SpotStrategy] {
        SpotStrategy.frontier(
            runs: SpellDistribution(history.runs, priorMeanSeconds: priorMeanSeconds, priorWeight: priorWeight),
            outages: SpellDistribution(history.outages, priorMeanSeconds: priorMeanSeconds, priorWeight: priorWeight),
            overheadSeconds: Double(job.restartOverheadSeconds),
            spotPriceRatio: Double(prices.spotPerHour.microdollars)
                / Double(max(1, prices.onDemandPerHour.microdollars)))
    }

    public var name: String { "gridbroker" }

    public mutating func decide(_ state: SpotPolicyState) -> SpotDecision {
        if state.spotAvailable != spellAvailable {
            spellAvailable = state.spotAvailable
            spellStartSeconds = state.elapsedSeconds
        }
        if state.mustRunOnDemand { return .onDemand }
        let age = Double(state.elapsedSeconds - spellStartSeconds)
        let strategy = strategy(state)
        switch state.placement {
        case .spot:
            return .spot
        case .onDemand:
            guard state.spotAvailable, let back = strategy.returnAfterSeconds, age >= back,
                state.workLeftSeconds >= Self.returnWorkOverheads * job.restartOverheadSeconds
            else { return .onDemand }
            return .spot
        case .none:
            if state.spotAvailable { return .spot }
            return age < strategy.waitSeconds ? .wait : .onDemand
        }
    }

    /// The cheapest strategy whose lost time per second of progress fits the spare slack per second
    /// of work left; on-demand only when nothing is spare.
    private func strategy(_ state: SpotPolicyState) -> SpotStrategy {
        let spare = state.slackSeconds - Self.reserveOverheads * job.restartOverheadSeconds
        let lostRate = Self.slackRateFactor * Double(spare) / Double(max(1, state.workLeftSeconds))
        return strategies.last { $0.lostRate <= lostRate } ?? strategies[0]
    }

    private enum CodingKeys: String, CodingKey {
        case job, history, prices, spellAvailable, spellStartSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        job = try container.decode(SpotJob.self, forKey: .job)
        history = try container.decode(SpotHistory.self, forKey: .history)
        prices = try container.decode(SpotPrices.self, forKey: .prices)
        spellAvailable = try container.decode(Bool.self, forKey: .spellAvailable)
        spellStartSeconds = try container.decode(Int64.self, forKey: .spellStartSeconds)
        strategies = Self.strategies(job: job, history: history, prices: prices)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job, forKey: .job)
        try container.encode(history, forKey: .history)
        try container.encode(prices, forKey: .prices)
        try container.encode(spellAvailable, forKey: .spellAvailable)
        try container.encode(spellStartSeconds, forKey: .spellStartSeconds)
    }
}
