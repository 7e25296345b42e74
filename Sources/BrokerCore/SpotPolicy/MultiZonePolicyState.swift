/// What a multi-zone policy sees at the start of a tick.
public struct MultiZonePolicyState: Sendable, Hashable {
    /// The state as a single-zone policy sees it: spot is available when some zone has it, and
    /// the placement is `.spot` whichever zone the node runs in.
    public var market: SpotPolicyState
    /// The zone of the spot node, if the node is on spot.
    public var zone: Int?
    /// Per zone, the ticks in a row up to and including this one during which the zone had spot
    /// (0: none now). Ticks before the job's start count: a broker knows the past, not the future.
    public var availableStreaks: [Int]

    public init(market: SpotPolicyState, zone: Int?, availableStreaks: [Int]) {
        self.market = market
        self.zone = zone
        self.availableStreaks = availableStreaks
    }

    /// Whether `zone` has spot during this tick.
    public func isAvailable(zone: Int) -> Bool {
        availableStreaks[zone] > 0
    }
}
