/// What a multi-zone policy wants for the next tick.
public enum MultiZoneDecision: Sendable, Hashable {
    /// Run on spot in this zone (when the zone has no spot, the replay waits instead).
    case spot(zone: Int)
    case onDemand
    /// Run nothing and pay nothing.
    case wait

    /// The market this decision runs on.
    var placement: SpotPlacement {
        switch self {
        case .spot: .spot
        case .onDemand: .onDemand
        case .wait: .none
        }
    }

    /// The zone of a spot decision.
    var zone: Int? {
        if case .spot(let zone) = self { zone } else { nil }
    }
}
