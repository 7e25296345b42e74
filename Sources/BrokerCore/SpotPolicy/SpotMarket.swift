/// Spot capacity in several zones of one market over the same ticks: a job on spot runs in one
/// zone at a time, and on-demand is always available. Each zone is a ``SpotTrace``.
public struct SpotMarket: Sendable, Hashable {
    /// The zones' traces, all with the same tick.
    public let zones: [SpotTrace]

    public init(zones: [SpotTrace]) {
        precondition(!zones.isEmpty, "a market needs a zone")
        precondition(Set(zones.map(\.tickSeconds)).count == 1, "the zones of a market share one tick")
        self.zones = zones
    }

    /// Seconds per tick.
    public var tickSeconds: Int64 { zones[0].tickSeconds }
    /// Ticks in the longest zone's trace; a zone says nothing (no spot) after its own end.
    public var count: Int { zones.map(\.count).max() ?? 0 }

    /// Whether spot is available in `zone` at `tick`.
    public func isAvailable(zone: Int, at tick: Int) -> Bool {
        zones[zone].isAvailable(at: tick)
    }

    /// The market as one zone: spot available whenever some zone has it. A run in the market maps
    /// to a run on this trace that pays no overhead to change zones, so no run in the market costs
    /// less than the best run here (see ``SpotPolicySimulation/run(market:named:starts:)``).
    public var union: SpotTrace {
        SpotTrace(
            tickSeconds: tickSeconds,
            available: (0..<count).map { tick in zones.indices.contains { isAvailable(zone: $0, at: tick) } })
    }

    /// Ticks in a row, ending with `tick`, during which `zone` had spot (0 when it has none at `tick`).
    public func availableStreak(zone: Int, endingAt tick: Int) -> Int {
        var first = tick
        while isAvailable(zone: zone, at: first) { first -= 1 }
        return tick - first
    }
}
