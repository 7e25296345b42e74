/// What a policy wants for the next tick.
public enum SpotDecision: Sendable, Hashable, Codable {
    /// Run on spot (only meaningful when spot is available; otherwise the replay waits).
    case spot
    case onDemand
    /// Run nothing and pay nothing.
    case wait

    /// The placement this decision leads to.
    public var placement: SpotPlacement {
        switch self {
        case .spot: .spot
        case .onDemand: .onDemand
        case .wait: .none
        }
    }
}
