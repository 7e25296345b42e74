/// Follows an ``OmniscientPlan`` made for a market's ``SpotMarket/union`` in the market itself,
/// knowing every zone's future: on spot, the node's zone while it has spot, otherwise the zone whose
/// spot lasts longest from now (which needs the fewest moves to cover a stretch of spot).
///
/// The plan counts no overhead for a move between zones, so a move puts the run behind the plan:
/// from the first move on, the policy obeys the safety net ``SpotPolicyState/mustRunOnDemand``
/// (not before: a plan that rides spot up to the last minute would trip it for nothing). Its cost
/// is that of a multi-zone run knowing the future, at or above the multi-zone optimum; a plan so
/// tight that its first move leaves no room for a restart misses the deadline.
public struct MultiZoneOmniscientPolicy: MultiZoneSpotPolicy {
    private let plan: OmniscientPolicy
    private let market: SpotMarket
    /// The market tick the job starts at.
    private let start: Int
    /// The zone of the previous tick's spot node, if it ran on spot.
    private var lastZone: Int?
    /// Whether the run has moved between zones, which the plan does not count.
    private var moved = false

    public init(plan: OmniscientPlan, market: SpotMarket, start: Int, job: SpotJob, prices: SpotPrices = .paper) {
        self.plan = OmniscientPolicy(plan: plan, job: job, prices: prices)
        self.market = market
        self.start = start
    }

    public var name: String { "omniscient-run" }

    public mutating func decide(_ state: MultiZonePolicyState) -> MultiZoneDecision {
        let decision = followPlan(state)
        moved = moved || (lastZone != nil && decision.zone != nil && decision.zone != lastZone)
        let safe = moved && state.market.mustRunOnDemand ? .onDemand : decision
        lastZone = safe.zone
        return safe
    }

    private func followPlan(_ state: MultiZonePolicyState) -> MultiZoneDecision {
        switch plan.decide(state.market) {
        case .onDemand: return .onDemand
        case .wait: return .wait
        case .spot:
            if let zone = state.zone, state.isAvailable(zone: zone) { return .spot(zone: zone) }
            let tick = start + state.market.tick
            let zones = market.zones.indices.filter { state.isAvailable(zone: $0) }
            guard let zone = zones.max(by: { spotEnd(zone: $0, from: tick) < spotEnd(zone: $1, from: tick) }) else {
                return .wait
            }
            return .spot(zone: zone)
        }
    }

    /// The first tick from `tick` on at which `zone` has no spot.
    private func spotEnd(zone: Int, from tick: Int) -> Int {
        var end = tick
        while market.isAvailable(zone: zone, at: end) { end += 1 }
        return end
    }
}
