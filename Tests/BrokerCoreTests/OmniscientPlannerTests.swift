import Testing

@testable import BrokerCore

@Suite("The omniscient plan against brute force")
struct OmniscientPlannerTests {
    typealias F = SpotPolicyFixtures

    /// The cheapest cost over every sequence of decisions, under the replay's rules, by memoized
    /// search over (tick, placement, overhead left, work done); nil when the deadline cannot be met.
    static func bruteForce(trace: SpotTrace, job: SpotJob, start: Int) -> Money? {
        struct Key: Hashable {
            var tick: Int
            var placement: SpotPlacement
            var overheadLeft: Int64
            var done: Int64
        }
        let prices = SpotPrices.paper
        var memo: [Key: Money?] = [:]
        func best(_ key: Key) -> Money? {
            if let known = memo[key] { return known }
            let elapsed = Int64(key.tick) * trace.tickSeconds
            var placement = key.placement
            var overheadLeft = key.overheadLeft
            let available = trace.isAvailable(at: start + key.tick)
            if placement == .spot && !available { (placement, overheadLeft) = (.none, 0) }
            var answer: Money?
            if elapsed < job.deadlineSeconds {
                for choice in [SpotPlacement.none, .spot, .onDemand] where choice != .spot || available {
                    var left = choice == placement ? overheadLeft : (choice == .none ? 0 : job.restartOverheadSeconds)
                    if choice == .none {
                        if let rest = best(Key(tick: key.tick + 1, placement: .none, overheadLeft: 0, done: key.done)) {
                            answer = min(answer ?? rest, rest)
                        }
                        continue
                    }
                    let overhead = min(left, trace.tickSeconds)
                    left -= overhead
                    let progress = trace.tickSeconds - overhead
                    let price = prices.perHour(choice)
                    if progress >= job.workSeconds - key.done {
                        let used = overhead + job.workSeconds - key.done
                        if elapsed + used <= job.deadlineSeconds {
                            let cost = price.cost(forSeconds: used)
                            answer = min(answer ?? cost, cost)
                        }
                        continue
                    }
                    let next = Key(tick: key.tick + 1, placement: choice, overheadLeft: left, done: key.done + progress)
                    if let rest = best(next) {
                        let cost = price.cost(forSeconds: trace.tickSeconds) + rest
                        answer = min(answer ?? cost, cost)
                    }
                }
            }
            memo[key] = answer
            return answer
        }
        return best(Key(tick: 0, placement: .none, overheadLeft: 0, done: 0))
    }

    @Test(arguments: 1...6)
    func followingThePlanCostsTheBruteForceOptimum(seed: UInt64) throws {
        var generator = TestGenerator(state: seed * 7919)
        for _ in 0..<20 {
            let trace = SpotPolicyPropertyTests.randomTrace(ticks: 60, using: &generator)
            let workHours = Int64.random(in: 1...4, using: &generator)
            let job = F.job(workHours: workHours, deadlineHours: workHours + Int64.random(in: 1...4, using: &generator))
            let optimum = try #require(Self.bruteForce(trace: trace, job: job, start: 0))
            let plan = OmniscientPlanner(trace: trace, job: job).plan(from: 0)
            let followed = SpotReplay(trace: trace, job: job).run(OmniscientPolicy(plan: plan, job: job), from: 0)
            #expect(plan.lowerBound <= optimum)
            #expect(followed.metDeadline(of: job))
            #expect(followed.cost == optimum, "plan \(plan), job \(job), trace \(trace.available.map { $0 ? 1 : 0 })")
        }
    }
}
