/// A single-zone policy run in a market of several zones: the policy decides the market as if the
/// market were one zone that has spot whenever some zone has it, and this wrapper picks the zone.
///
/// The zone: the node's own zone while it has spot (a move would pay a restart for nothing);
/// otherwise the zone whose spot has lasted longest up to now, the lowest index among equals. Spot
/// runs in these traces are long-tailed: a zone that has kept capacity for hours tends to keep it
/// longer than one that just came back.
public struct ZonedSpotPolicy<Base: SpotPolicy>: MultiZoneSpotPolicy {
    public var base: Base

    public init(_ base: Base) {
        self.base = base
    }

    public var name: String { base.name }

    public mutating func decide(_ state: MultiZonePolicyState) -> MultiZoneDecision {
        switch base.decide(state.market) {
        case .onDemand: return .onDemand
        case .wait: return .wait
        case .spot:
            guard let zone = Self.zone(for: state) else { return .wait }
            return .spot(zone: zone)
        }
    }

    /// The zone to run spot in, or nil when no zone has spot.
    static func zone(for state: MultiZonePolicyState) -> Int? {
        if let zone = state.zone, state.isAvailable(zone: zone) { return zone }
        let streaks = state.availableStreaks
        // The first of the longest streaks: max(by:) would return the last.
        guard let longest = streaks.max(), longest > 0 else { return nil }
        return streaks.firstIndex(of: longest)
    }
}
