/// What a zone's past says about its spot capacity, learned from a trace of the past (oldest first)
/// and kept small enough to persist with a job: how long spot stayed when it came (runs), how long
/// it stayed away when it went (outages), the share of time it was there, and the spell going on
/// when the history ends.
///
/// Only completed spells are counted: the first spell of the history (it began before) and the last
/// one (it is still going on, see ``endingSpellSeconds``) are not. The time of day is UTC's in the
/// daemon; a trace file, which has no clock, starts at midnight.
public struct SpotHistory: Sendable, Codable, Hashable {
    /// Seconds the history covers.
    public var observedSeconds: Int64
    /// Seconds of it during which the gang had spot.
    public var availableSeconds: Int64
    /// Completed spells with spot.
    public var runs: SpellHistogram
    /// Completed spells without spot.
    public var outages: SpellHistogram
    /// Whether the gang had spot at the end of the history.
    public var endsAvailable: Bool
    /// How long the spell at the end of the history had lasted (zero with no history).
    public var endingSpellSeconds: Int64
    /// How spells ended by the time of day.
    public var day = SpotDayProfile()
    /// The time of day at the end of the history, in seconds after midnight.
    public var endSecondOfDay: Int64 = 0

    /// No history: the policy goes by its priors.
    public static let empty = SpotHistory(
        observedSeconds: 0, availableSeconds: 0, runs: SpellHistogram(), outages: SpellHistogram(),
        endsAvailable: false, endingSpellSeconds: 0)

    public init(
        observedSeconds: Int64, availableSeconds: Int64, runs: SpellHistogram, outages: SpellHistogram,
        endsAvailable: Bool, endingSpellSeconds: Int64
    ) {
        self.observedSeconds = observedSeconds
        self.availableSeconds = availableSeconds
        self.runs = runs
        self.outages = outages
        self.endsAvailable = endsAvailable
        self.endingSpellSeconds = endingSpellSeconds
    }

    /// Learns from `trace`, the past up to now, for a gang of `gang` nodes: the gang has spot at a
    /// tick when the trace counts at least `gang` instances. The trace starts `startSecondOfDay`
    /// seconds after a midnight.
    public init(trace: SpotTrace, gang: Int = 1, startSecondOfDay: Int64 = 0) {
        precondition(gang > 0, "a gang has at least one node")
        self = .empty
        let tick = trace.tickSeconds
        var spellAvailable: Bool?
        var spellTicks = 0
        var pastFirstSpell = false
        for (index, count) in trace.counts.enumerated() {
            let available = count >= gang
            let ends = index + 1 < trace.counts.count && (trace.counts[index + 1] >= gang) != available
            day.add(available: available, seconds: tick, at: startSecondOfDay + Int64(index) * tick, ended: ends)
            observedSeconds += tick
            if available { availableSeconds += tick }
            if available == spellAvailable {
                spellTicks += 1
                continue
            }
            if let previous = spellAvailable {
                // The first spell began before the history: its length is unknown.
                if pastFirstSpell {
                    if previous {
                        runs.add(Int64(spellTicks) * tick)
                    } else {
                        outages.add(Int64(spellTicks) * tick)
                    }
                }
                pastFirstSpell = true
            }
            spellAvailable = available
            spellTicks = 1
        }
        endsAvailable = spellAvailable ?? false
        endingSpellSeconds = Int64(spellTicks) * tick
        endSecondOfDay = ((startSecondOfDay + Int64(trace.count) * tick) % 86_400 + 86_400) % 86_400
    }

    /// The share of the history with spot, nil without history.
    public var availableShare: Double? {
        observedSeconds > 0 ? Double(availableSeconds) / Double(observedSeconds) : nil
    }

    private enum CodingKeys: String, CodingKey {
        case observedSeconds, availableSeconds, runs, outages, endsAvailable, endingSpellSeconds
        case day, endSecondOfDay
    }

    /// Decodes a history persisted before the time of day was learned as one without it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        observedSeconds = try container.decode(Int64.self, forKey: .observedSeconds)
        availableSeconds = try container.decode(Int64.self, forKey: .availableSeconds)
        runs = try container.decode(SpellHistogram.self, forKey: .runs)
        outages = try container.decode(SpellHistogram.self, forKey: .outages)
        endsAvailable = try container.decode(Bool.self, forKey: .endsAvailable)
        endingSpellSeconds = try container.decode(Int64.self, forKey: .endingSpellSeconds)
        day = try container.decodeIfPresent(SpotDayProfile.self, forKey: .day) ?? SpotDayProfile()
        endSecondOfDay = try container.decodeIfPresent(Int64.self, forKey: .endSecondOfDay) ?? 0
    }
}
