/// Greedy spot, the SkyPilot-style baseline: spot whenever it is available, otherwise wait; on-demand
/// only when the safety net ``SpotPolicyState/mustRunOnDemand`` says so, and then for good.
public struct GreedySpotPolicy: SpotPolicy {
    public init() {}

    public var name: String { "greedy" }

    public func decide(_ state: SpotPolicyState) -> SpotDecision {
        if state.mustRunOnDemand { return .onDemand }
        return state.spotAvailable ? .spot : .wait
    }
}
