import Synchronization

/// The current fault plan of each provider, shared by all requests, and the seeded generator
/// that decides which requests fail under an error rate.
final class FaultBoard: Sendable {
    private struct State {
        var plans: [SimulatedProvider: FaultPlan]
        var random: [SimulatedProvider: SplitMix64]
    }

    private let state: Mutex<State>

    init(seed: UInt64, plans: [SimulatedProvider: FaultPlan]) {
        var random: [SimulatedProvider: SplitMix64] = [:]
        for provider in SimulatedProvider.allCases {
            random[provider] = SplitMix64(seed: SplitMix64.hash(seed, SplitMix64.key(provider.rawValue), 0x4641_554C))
        }
        state = Mutex(State(plans: plans.filter { !$0.value.isEmpty }, random: random))
    }

    func plan(for provider: SimulatedProvider) -> FaultPlan {
        state.withLock { $0.plans[provider] ?? .none }
    }

    func set(_ plan: FaultPlan, for provider: SimulatedProvider) {
        state.withLock { $0.plans[provider] = plan.isEmpty ? nil : plan }
    }

    /// The plan to apply to one request, and whether this request draws an error under the plan's
    /// error rate (one draw from the provider's seeded generator per request with a non-zero rate).
    func decide(for provider: SimulatedProvider) -> (plan: FaultPlan, failRequest: Bool) {
        state.withLock { state in
            let plan = state.plans[provider] ?? .none
            guard plan.errorRate > 0 else { return (plan, false) }
            if plan.errorRate >= 1 { return (plan, true) }
            let draw = state.random[provider, default: SplitMix64(seed: 0)].unit()
            return (plan, draw < plan.errorRate)
        }
    }
}
