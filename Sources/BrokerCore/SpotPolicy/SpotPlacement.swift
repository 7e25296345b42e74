/// Where a job's node is running during a tick.
public enum SpotPlacement: Sendable, Hashable, Codable {
    /// No node: waiting, or just preempted.
    case none
    case spot
    case onDemand
}
