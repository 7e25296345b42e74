/// Spot capacity in one zone over time: for each tick of `tickSeconds`, whether a spot instance
/// could be launched (and a running one kept). After the last tick the trace says nothing, and the
/// replay treats spot as gone.
public struct SpotTrace: Sendable, Hashable {
    /// Seconds per tick (positive).
    public let tickSeconds: Int64
    /// Availability per tick.
    public let available: [Bool]

    public init(tickSeconds: Int64, available: [Bool]) {
        precondition(tickSeconds > 0, "a tick must last a positive number of seconds")
        self.tickSeconds = tickSeconds
        self.available = available
    }

    /// Ticks in the trace.
    public var count: Int { available.count }

    /// Whether spot is available at `tick`; false before the start and after the end of the trace.
    public func isAvailable(at tick: Int) -> Bool {
        available.indices.contains(tick) && available[tick]
    }

    /// Ticks needed to cover `seconds` (rounded up).
    public func ticks(covering seconds: Int64) -> Int {
        Int((seconds + tickSeconds - 1) / tickSeconds)
    }
}
