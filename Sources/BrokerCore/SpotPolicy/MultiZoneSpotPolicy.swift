/// Decides, tick by tick, where a deadline-bound job runs in a market of several spot zones: spot
/// in one zone, on-demand, or nowhere.
///
/// A policy may keep state between ticks (hence `mutating`); the replay gives each run a fresh copy.
public protocol MultiZoneSpotPolicy: Sendable {
    /// A short name for tables and JSON: "uniform-progress".
    var name: String { get }

    /// The decision for the tick described by `state`.
    mutating func decide(_ state: MultiZonePolicyState) -> MultiZoneDecision
}
