/// Where a job's node is running during a tick.
public enum SpotPlacement: Sendable, Hashable, Codable {
    /// No node: waiting, or just preempted.
    case none
    case spot
    case onDemand
}

extension SpotPlacement {
    /// The placement's letter in a run's actions: `I` idle, `O` on-demand, `S` spot.
    var letter: UInt8 {
        switch self {
        case .none: UInt8(ascii: "I")
        case .spot: UInt8(ascii: "S")
        case .onDemand: UInt8(ascii: "O")
        }
    }
}
