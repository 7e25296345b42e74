@testable import BrokerCore

/// Markets of small hand-made zones for the multi-zone tests (the ticks of ``SpotPolicyFixtures``).
enum MultiZoneFixtures {
    static func market(_ patterns: String...) -> SpotMarket {
        SpotMarket(zones: patterns.map(SpotPolicyFixtures.trace))
    }

    /// The single-zone policies the simulation runs in a market.
    static func singleZonePolicies(for job: SpotJob) -> [any SpotPolicy] {
        [
            OnDemandOnlyPolicy(), GreedySpotPolicy(), UniformProgressPolicy(),
            GridbrokerSpotPolicy(job: job, history: .empty),
        ]
    }

    /// The online multi-zone policies under test, as the simulation runs them.
    static func onlinePolicies(for job: SpotJob) -> [any MultiZoneSpotPolicy] {
        singleZonePolicies(for: job).map { zoned($0) }
    }

    static func zoned(_ policy: some SpotPolicy) -> any MultiZoneSpotPolicy {
        ZonedSpotPolicy(policy)
    }

    /// Zones of random runs and gaps, as in the single-zone property tests.
    static func randomMarket(zones: Int, ticks: Int, using generator: inout TestGenerator) -> SpotMarket {
        SpotMarket(
            zones: (0..<zones).map { _ in SpotPolicyPropertyTests.randomTrace(ticks: ticks, using: &generator) })
    }

    /// The cheapest cost over every sequence of decisions in `market` (wait, on-demand, spot in any
    /// zone that has it), under the replay's rules, by memoized search over (tick, node, overhead
    /// left, work done); nil when the deadline cannot be met.
    static func bruteForce(market: SpotMarket, job: SpotJob, start: Int) -> Money? {
        /// `node`: -2 on-demand, -1 none, otherwise the spot zone.
        struct Key: Hashable {
            var tick: Int
            var node: Int
            var overheadLeft: Int64
            var done: Int64
        }
        let prices = SpotPrices.paper
        let tickSeconds = market.tickSeconds
        var memo: [Key: Money?] = [:]
        func best(_ key: Key) -> Money? {
            if let known = memo[key] { return known }
            let elapsed = Int64(key.tick) * tickSeconds
            var (node, overheadLeft) = (key.node, key.overheadLeft)
            if node >= 0 && !market.isAvailable(zone: node, at: start + key.tick) { (node, overheadLeft) = (-1, 0) }
            var answer: Money?
            func consider(_ cost: Money?) {
                if let cost { answer = min(answer ?? cost, cost) }
            }
            if elapsed < job.deadlineSeconds {
                consider(best(Key(tick: key.tick + 1, node: -1, overheadLeft: 0, done: key.done)))
                let zones = market.zones.indices.filter { market.isAvailable(zone: $0, at: start + key.tick) }
                for choice in [-2] + zones {
                    var left = choice == node ? overheadLeft : job.restartOverheadSeconds
                    let overhead = min(left, tickSeconds)
                    left -= overhead
                    let progress = tickSeconds - overhead
                    let price = choice == -2 ? prices.onDemandPerHour : prices.spotPerHour
                    if progress >= job.workSeconds - key.done {
                        let used = overhead + job.workSeconds - key.done
                        if elapsed + used <= job.deadlineSeconds { consider(price.cost(forSeconds: used)) }
                        continue
                    }
                    let next = Key(tick: key.tick + 1, node: choice, overheadLeft: left, done: key.done + progress)
                    consider(best(next).map { price.cost(forSeconds: tickSeconds) + $0 })
                }
            }
            memo[key] = answer
            return answer
        }
        return best(Key(tick: 0, node: -1, overheadLeft: 0, done: 0))
    }
}

/// Spot in one zone whenever it has spot, otherwise wait: to watch the replay's rules.
struct FixedZonePolicy: MultiZoneSpotPolicy {
    var zone: Int
    /// From this tick on, the zone is `laterZone`.
    var switchTick = Int.max
    var laterZone = 0

    var name: String { "zone \(zone)" }

    func decide(_ state: MultiZonePolicyState) -> MultiZoneDecision {
        .spot(zone: state.market.tick >= switchTick ? laterZone : zone)
    }
}
