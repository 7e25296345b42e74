/// Spot capacity in one zone over time: for each tick of `tickSeconds`, how many spot instances
/// could be launched (and kept); a node has spot when the count is at least one. After the last tick
/// the trace says nothing, and the replay treats spot as gone.
public struct SpotTrace: Sendable, Hashable {
    /// Seconds per tick (positive).
    public let tickSeconds: Int64
    /// Spot instances available per tick (never negative).
    public let counts: [Int]
    /// Availability per tick: a count of at least one.
    public let available: [Bool]

    public init(tickSeconds: Int64, counts: [Int]) {
        precondition(tickSeconds > 0, "a tick must last a positive number of seconds")
        precondition(counts.allSatisfy { $0 >= 0 }, "instance counts are never negative")
        self.tickSeconds = tickSeconds
        self.counts = counts
        self.available = counts.map { $0 > 0 }
    }

    /// A trace that only says whether spot was there: one instance when available, none otherwise.
    public init(tickSeconds: Int64, available: [Bool]) {
        self.init(tickSeconds: tickSeconds, counts: available.map { $0 ? 1 : 0 })
    }

    /// Ticks in the trace.
    public var count: Int { counts.count }

    /// Whether spot is available at `tick`; false before the start and after the end of the trace.
    public func isAvailable(at tick: Int) -> Bool {
        available.indices.contains(tick) && available[tick]
    }

    /// Ticks needed to cover `seconds` (rounded up).
    public func ticks(covering seconds: Int64) -> Int {
        Int((seconds + tickSeconds - 1) / tickSeconds)
    }

    /// The same zone seen by a gang of `nodes` nodes: each tick counts the whole gangs that fit, so
    /// the gang has spot only where at least `nodes` instances were available.
    public func gangs(of nodes: Int) -> SpotTrace {
        precondition(nodes > 0, "a gang has at least one node")
        return nodes == 1 ? self : SpotTrace(tickSeconds: tickSeconds, counts: counts.map { $0 / nodes })
    }

    /// The ticks before `tick`: what was known of the zone when a job started there.
    public func prefix(before tick: Int) -> SpotTrace {
        SpotTrace(tickSeconds: tickSeconds, counts: Array(counts.prefix(max(0, tick))))
    }
}
