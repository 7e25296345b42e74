import Testing

@testable import BrokerCore

@Suite("Multi-zone policies on hand-made markets")
struct MultiZonePolicyTests {
    typealias F = SpotPolicyFixtures
    typealias M = MultiZoneFixtures
    let prices = SpotPrices.paper

    func state(zone: Int?, streaks: [Int]) -> MultiZonePolicyState {
        MultiZonePolicyState(
            market: SpotPolicyState(
                job: F.job(workHours: 10, deadlineHours: 20), tickSeconds: F.tick, tick: 0, workDoneSeconds: 0,
                placement: zone == nil ? .none : .spot, overheadLeftSeconds: 0,
                spotAvailable: streaks.contains { $0 > 0 }),
            zone: zone, availableStreaks: streaks)
    }

    @Test func theZoneIsTheNodesOwnWhileItLastsElseTheLongestRunning() {
        typealias Greedy = ZonedSpotPolicy<GreedySpotPolicy>
        #expect(Greedy.zone(for: state(zone: nil, streaks: [0, 5, 10])) == 2)
        #expect(Greedy.zone(for: state(zone: 1, streaks: [0, 5, 10])) == 1)
        #expect(Greedy.zone(for: state(zone: nil, streaks: [3, 0, 3])) == 0)
        #expect(Greedy.zone(for: state(zone: nil, streaks: [0, 0, 0])) == nil)
        var greedy = Greedy(GreedySpotPolicy())
        #expect(greedy.decide(state(zone: nil, streaks: [0, 0, 0])) == .wait)
        #expect(greedy.decide(state(zone: nil, streaks: [0, 2, 1])) == .spot(zone: 1))
    }

    @Test func theZonesPastBeforeTheStartCounts() {
        // Zone 0 has spot from tick 3 to 8, zone 1 always.
        let market = M.market(
            "000" + String(repeating: "1", count: 6) + String(repeating: "0", count: 51),
            String(repeating: "1", count: 60))
        let job = F.job(workHours: 2, deadlineHours: 6)
        let replay = MultiZoneReplay(market: market, job: job)
        // From tick 3, zone 1 has run 3 ticks longer: the job stays there.
        #expect(replay.run(ZonedSpotPolicy(GreedySpotPolicy()), from: 3).starts == 1)
        // From tick 0 on a market where both zones start together, zone 0 wins the tie and ends.
        let even = M.market(
            String(repeating: "1", count: 9) + String(repeating: "0", count: 51),
            String(repeating: "1", count: 60))
        let result = MultiZoneReplay(market: even, job: job).run(ZonedSpotPolicy(GreedySpotPolicy()), from: 0)
        #expect(result.starts == 2)
        #expect(result.cost == prices.spotPerHour.cost(forSeconds: 2 * F.hour + 2 * 720))
    }

    @Test func spotInAnyZoneCountsAsSpotAvailable() {
        let market = M.market(String(repeating: "0", count: 100), String(repeating: "1", count: 100))
        let job = F.job(workHours: 10, deadlineHours: 12)
        let replay = MultiZoneReplay(market: market, job: job)
        for policy in M.onlinePolicies(for: job).dropFirst() {
            let result = replay.run(policy, from: 0)
            #expect(result.cost == prices.spotPerHour.cost(forSeconds: job.workSeconds + 720), "\(policy.name)")
            #expect(result.starts == 1, "\(policy.name)")
        }
    }

    @Test func uniformProgressMovesZonesInsteadOfGoingOnDemand() {
        // Zone 0 for the first 2 hours, zone 1 from then on.
        let market = M.market(
            String(repeating: "1", count: 12) + String(repeating: "0", count: 88),
            String(repeating: "0", count: 12) + String(repeating: "1", count: 88))
        let job = F.job(workHours: 10, deadlineHours: 20)
        let result = MultiZoneReplay(market: market, job: job).run(ZonedSpotPolicy(UniformProgressPolicy()), from: 0)
        #expect(result.starts == 2)
        #expect(result.cost == prices.spotPerHour.cost(forSeconds: job.workSeconds + 2 * 720))
        // In zone 0 alone, it goes on-demand.
        let alone = SpotReplay(trace: market.zones[0], job: job).run(UniformProgressPolicy(), from: 0)
        #expect(alone.cost > result.cost)
    }

    @Test func greedyRidesSpotUntilTheSafetyNetThenStaysOnDemand() {
        // Spot for 3 hours in zone 0, then 9 hours of nothing anywhere, then zone 1.
        let market = M.market(
            String(repeating: "1", count: 18) + String(repeating: "0", count: 72),
            String(repeating: "0", count: 72) + String(repeating: "1", count: 18))
        let job = F.job(workHours: 10, deadlineHours: 12)
        let result = MultiZoneReplay(market: market, job: job).run(ZonedSpotPolicy(GreedySpotPolicy()), from: 0)
        #expect(result.metDeadline(of: job))
        // 3 h of spot (2.8 h of work), a wait while the safety net allows, then 7.2 h of work and an
        // overhead on on-demand.
        #expect(result.starts == 2)
        #expect(
            result.cost
                == prices.spotPerHour.cost(forSeconds: 3 * F.hour)
                + prices.onDemandPerHour.cost(forSeconds: 7 * F.hour + 2 * 720))
        #expect(result.finishedAtSeconds <= job.deadlineSeconds)
    }
}
