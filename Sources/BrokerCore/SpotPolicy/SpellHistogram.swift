/// How long spells of one kind (spot available, or spot gone) lasted: completed spells counted by
/// length in fixed bins, with the seconds they lasted in all, so the size is bounded whatever the
/// history's length (19 bins, from 5 minutes to 4 days and more).
public struct SpellHistogram: Sendable, Codable, Hashable {
    /// The bins' lower edges in seconds; the last bin has no upper edge.
    public static let edges: [Int64] = [
        0, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10_800, 14_400, 21_600, 28_800, 43_200, 64_800,
        86_400, 172_800, 345_600,
    ]

    /// Spells per bin.
    public private(set) var counts: [Int]
    /// Seconds the spells of each bin lasted, summed.
    public private(set) var seconds: [Int64]

    public init() {
        counts = Array(repeating: 0, count: Self.edges.count)
        seconds = Array(repeating: 0, count: Self.edges.count)
    }

    /// Completed spells.
    public var spells: Int { counts.reduce(0, +) }

    /// Counts a completed spell of `length` seconds (positive).
    public mutating func add(_ length: Int64) {
        let bin = Self.bin(of: length)
        counts[bin] += 1
        seconds[bin] += length
    }

    /// The bin holding `length` seconds.
    static func bin(of length: Int64) -> Int {
        (Self.edges.lastIndex { $0 <= length }) ?? 0
    }
}
