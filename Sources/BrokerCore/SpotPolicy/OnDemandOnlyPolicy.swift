/// Always on-demand: one start, never preempted. The cost baseline.
public struct OnDemandOnlyPolicy: SpotPolicy {
    public init() {}

    public var name: String { "on-demand-only" }

    public func decide(_ state: SpotPolicyState) -> SpotDecision {
        .onDemand
    }
}
