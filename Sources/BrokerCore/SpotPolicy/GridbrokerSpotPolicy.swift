/// gridbroker's policy for `market: auto`: learns from the zone's history how long spot stays when
/// it comes and how long it stays away when it goes, and plans the job's slack by the expected cost
/// of every choice under that model.
///
/// From the history it solves, once per job, a finite-horizon dynamic program
/// (``SpotDecisionTable``) over work left, slack left, where the job runs, whether spot is there
/// and how long that has lasted, with restart overheads and the hard deadline priced in. At every
/// decision it reads the table:
/// - on spot: stay while it lasts;
/// - with no node: with spot there, spot (or on-demand, or a short wait for spot that just came
///   back) as the table says for the slack left; with spot gone, wait while the slack left is
///   worth more waiting than a start on on-demand, given how long the outage has lasted;
/// - on on-demand: back to spot once the slack left makes it worth a restart, given how long spot
///   has been back.
///
/// Learned: the spell length distributions (history blended with a prior), and how often spells end
/// in each block of the day (``SpotDayProfile``). Assumed: the prior (`priorMeanSeconds`,
/// `priorWeight`), the grid (``SpotDecisionTable/targetStepSeconds``, the age buckets of
/// ``SpellHazards``), the blocks of the day and their blending, and that spells are independent of
/// each other.
///
/// Its memory is time, not ticks: when the current spell of availability (or of its absence)
/// began, in seconds after the job's start (before it, from the history's last spell), so calls
/// every few seconds and calls every trace tick decide alike at the same times. Decisions are a pure
/// function of the initial value and the states passed in. Deadline-safe through
/// ``SpotPolicyState/mustRunOnDemand``.
public struct GridbrokerSpotPolicy: SpotPolicy, Codable, Equatable {
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
    /// The plan, from ``job``, ``history`` and ``prices`` (not persisted: solved again on decoding,
    /// or found in ``SpotDecisionTableCache``).
    private let table: SpotDecisionTable

    public init(job: SpotJob, history: SpotHistory, prices: SpotPrices = .paper) {
        self.job = job
        self.history = history
        self.prices = prices
        spellAvailable = history.endsAvailable
        spellStartSeconds = -history.endingSpellSeconds
        table = Self.table(job: job, history: history, prices: prices)
    }

    private static func table(job: SpotJob, history: SpotHistory, prices: SpotPrices) -> SpotDecisionTable {
        SpotDecisionTableCache.shared.table(for: .init(job: job, history: history, prices: prices)) {
            SpotDecisionTable(
                job: job,
                runs: SpellDistribution(history.runs, priorMeanSeconds: priorMeanSeconds, priorWeight: priorWeight),
                outages: SpellDistribution(
                    history.outages, priorMeanSeconds: priorMeanSeconds, priorWeight: priorWeight),
                day: history.day, startSecondOfDay: history.endSecondOfDay,
                spotPriceRatio: Double(prices.spotPerHour.microdollars)
                    / Double(max(1, prices.onDemandPerHour.microdollars)))
        }
    }

    public var name: String { "gridbroker" }

    public mutating func decide(_ state: SpotPolicyState) -> SpotDecision {
        if state.spotAvailable != spellAvailable {
            spellAvailable = state.spotAvailable
            spellStartSeconds = state.elapsedSeconds
        }
        if state.mustRunOnDemand { return .onDemand }
        return table.decide(
            workLeft: state.workLeftSeconds, slack: state.slackSeconds, placement: state.placement,
            available: state.spotAvailable, age: Double(state.elapsedSeconds - spellStartSeconds))
    }

    /// Equal when made of the same job, history and prices and at the same point of the job (the
    /// table follows from the first three).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.job == rhs.job && lhs.history == rhs.history && lhs.prices == rhs.prices
            && lhs.spellAvailable == rhs.spellAvailable && lhs.spellStartSeconds == rhs.spellStartSeconds
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
        table = Self.table(job: job, history: history, prices: prices)
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
