/// What a spot policy knows of a spot market's past, learned from a trace of it up to the job's
/// start (never after).
public struct SpotHistory: Sendable, Codable, Equatable {
    /// Ticks observed.
    public var ticks: Int

    /// No past at all.
    public static let empty = SpotHistory(ticks: 0)

    private init(ticks: Int) {
        self.ticks = ticks
    }

    /// Learns from `trace` (oldest first) as a gang of `gang` nodes sees it.
    public init(trace: SpotTrace, gang: Int = 1) {
        self.ticks = trace.count
    }
}
