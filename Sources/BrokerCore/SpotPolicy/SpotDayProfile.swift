/// How a zone's spot capacity changes with the time of day (UTC): for each block of the day, the
/// seconds spot was there and how many of its spells ended in that block, and the same for its
/// absence. Bounded (four numbers per block, whatever the history's length).
///
/// From it, each block's rate of ends against the whole day's: a block in which spot goes away
/// twice as often per hour as on average has a factor of 2 on the hazard of a run ending there.
public struct SpotDayProfile: Sendable, Codable, Hashable {
    /// Blocks per day.
    public static let blocks = 8
    static let blockSeconds: Int64 = 86_400 / Int64(blocks)
    /// How many ends at the day's average rate each block's rate is blended with: a block seen for
    /// a few hours says little on its own, and the pattern of a day is a weak signal (4 ends
    /// measured worse than 20 or 50).
    static let priorEnds = 20.0

    /// Per block, the seconds spot was there, and the runs of spot that ended in it.
    public private(set) var runSeconds: [Int64]
    public private(set) var runEnds: [Int]
    /// Per block, the seconds spot was gone, and the outages that ended in it.
    public private(set) var outageSeconds: [Int64]
    public private(set) var outageEnds: [Int]

    public init() {
        runSeconds = Array(repeating: 0, count: Self.blocks)
        runEnds = Array(repeating: 0, count: Self.blocks)
        outageSeconds = runSeconds
        outageEnds = runEnds
    }

    private enum CodingKeys: String, CodingKey {
        case runSeconds, runEnds, outageSeconds, outageEnds
    }

    /// Refuses a profile whose blocks are not ``blocks``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runSeconds = try container.decode([Int64].self, forKey: .runSeconds)
        runEnds = try container.decode([Int].self, forKey: .runEnds)
        outageSeconds = try container.decode([Int64].self, forKey: .outageSeconds)
        outageEnds = try container.decode([Int].self, forKey: .outageEnds)
        guard
            [runSeconds.count, runEnds.count, outageSeconds.count, outageEnds.count].allSatisfy({ $0 == Self.blocks })
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .runSeconds, in: container, debugDescription: "a day profile has \(Self.blocks) blocks")
        }
    }

    /// The block of the day holding `secondOfDay` (any number of seconds, wrapped to a day).
    static func block(at secondOfDay: Int64) -> Int {
        let wrapped = ((secondOfDay % 86_400) + 86_400) % 86_400
        return Int(wrapped / blockSeconds)
    }

    /// Counts `seconds` of spot there (`available`) or gone, starting at `secondOfDay`, and whether
    /// that spell ended at their end.
    mutating func add(available: Bool, seconds: Int64, at secondOfDay: Int64, ended: Bool) {
        let block = Self.block(at: secondOfDay)
        if available {
            runSeconds[block] += seconds
            if ended { runEnds[block] += 1 }
        } else {
            outageSeconds[block] += seconds
            if ended { outageEnds[block] += 1 }
        }
    }

    /// Per block, the rate at which runs of spot end there over the day's average rate (1 for every
    /// block with no ends seen).
    var runFactors: [Double] { Self.factors(seconds: runSeconds, ends: runEnds) }
    /// The same for outages.
    var outageFactors: [Double] { Self.factors(seconds: outageSeconds, ends: outageEnds) }

    private static func factors(seconds: [Int64], ends: [Int]) -> [Double] {
        let totalEnds = Double(ends.reduce(0, +))
        let totalSeconds = Double(seconds.reduce(0, +))
        guard totalEnds > 0, totalSeconds > 0 else { return Array(repeating: 1, count: blocks) }
        let rate = totalEnds / totalSeconds
        return zip(seconds, ends).map { seconds, ends in
            (Double(ends) + priorEnds) / (Double(seconds) * rate + priorEnds)
        }
    }
}
