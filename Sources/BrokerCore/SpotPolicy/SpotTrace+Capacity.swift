#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SpotTrace {
    /// The availability a gang of `gang` nodes saw from `start` to `end`, sampled every
    /// `tickSeconds` from the broker's capacity points (oldest first): at each tick, spot is
    /// available when the series' counts add up to `gang` (in one provider's region when
    /// `sameRegion`). Before a series' first point its count is unknown and taken as 0.
    public init(
        capacity points: [SpotCapacityPoint], from start: Date, to end: Date, tickSeconds: Int64, gang: Int,
        sameRegion: Bool
    ) {
        let ticks = max(0, Int(end.timeIntervalSince(start)) / Int(tickSeconds))
        var current: [SpotCapacityPoint.Series: Int] = [:]
        var next = points.startIndex
        var available: [Bool] = []
        available.reserveCapacity(ticks)
        var fits = false
        for tick in 0..<ticks {
            let at = start.addingTimeInterval(Double(Int64(tick) * tickSeconds))
            let before = next
            while next < points.endIndex, points[next].recordedAt <= at {
                current[points[next].series] = points[next].available
                next += 1
            }
            // Counted again only when a point changed something: most minutes change nothing.
            if next != before { fits = Self.count(current, sameRegion: sameRegion) >= max(1, gang) }
            available.append(fits)
        }
        self.init(tickSeconds: tickSeconds, available: available)
    }

    /// The spot nodes a gang can use: all the series' together, or one provider's region's.
    private static func count(_ current: [SpotCapacityPoint.Series: Int], sameRegion: Bool) -> Int {
        guard sameRegion else { return current.values.reduce(0, +) }
        var byRegion: [String: Int] = [:]
        for (series, nodes) in current { byRegion[series.provider + "/" + series.region, default: 0] += nodes }
        return byRegion.values.max() ?? 0
    }
}
