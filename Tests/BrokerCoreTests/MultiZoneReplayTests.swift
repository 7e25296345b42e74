import Testing

@testable import BrokerCore

@Suite("The multi-zone replay's rules")
struct MultiZoneReplayTests {
    typealias F = SpotPolicyFixtures
    typealias M = MultiZoneFixtures
    let prices = SpotPrices.paper

    @Test func aZoneThatLosesSpotPreemptsItsNodeWhateverTheOtherZonesHave() {
        // Zone 0: 1 h of spot, 10 minutes gone, then spot again; zone 1 always has spot.
        let market = M.market("111111" + "0" + String(repeating: "1", count: 40), String(repeating: "1", count: 47))
        let job = F.job(workHours: 2, deadlineHours: 6)
        let result = MultiZoneReplay(market: market, job: job).run(FixedZonePolicy(zone: 0), from: 0)
        // 1 h on spot (0.8 h of work), 10 minutes of nothing, then 1.2 h of work + 0.2 h overhead.
        #expect(result.finishedAtSeconds == F.hour + F.tick + 2 * F.hour - (F.hour - 720) + 720)
        #expect(result.cost == prices.spotPerHour.cost(forSeconds: 2 * F.hour + 2 * 720))
        #expect(result.starts == 2)
    }

    @Test func movingToAnotherZoneOwesTheRestartOverhead() {
        let always = String(repeating: "1", count: 40)
        let market = M.market(always, always)
        let job = F.job(workHours: 2, deadlineHours: 6)
        let replay = MultiZoneReplay(market: market, job: job)
        let staying = replay.run(FixedZonePolicy(zone: 0), from: 0)
        #expect(staying.finishedAtSeconds == 2 * F.hour + 720 && staying.starts == 1)
        // A move after 1 h: zone 1's node makes no progress for 0.2 h, and bills it.
        let moving = replay.run(FixedZonePolicy(zone: 0, switchTick: 6, laterZone: 1), from: 0)
        #expect(moving.finishedAtSeconds == 2 * F.hour + 2 * 720 && moving.starts == 2)
        #expect(moving.cost == prices.spotPerHour.cost(forSeconds: 2 * F.hour + 2 * 720))
    }

    @Test func billsEachTickExactlyAndFinishesOnOnDemandAfterTheTraces() {
        // Zone 0 for 30 minutes, zone 1 for the next 30, then the traces end.
        let market = M.market("111", "000111")
        let job = F.job(workHours: 3, deadlineHours: 8)
        let result = MultiZoneReplay(market: market, job: job).run(ZonedSpotPolicy(GreedySpotPolicy()), from: 0)
        // 2 × 1080 s of work on spot, then 0.2 h of overhead and the 8640 s left on on-demand (the
        // last tick only 360 s of its 600).
        #expect(result.starts == 3)
        #expect(result.finishedAtSeconds == F.hour + 720 + 8640)
        #expect(result.cost == Money(microdollars: 918_000 + 7_956_000))
    }

    @Test func aSpotDecisionForAZoneWithoutSpotWaits() {
        let market = M.market("0000001111111111111111111111", "1111111111111111111111111111")
        let job = F.job(workHours: 1, deadlineHours: 4)
        let result = MultiZoneReplay(market: market, job: job).run(FixedZonePolicy(zone: 0), from: 0)
        #expect(result.finishedAtSeconds == F.hour + F.hour + 720)
        #expect(result.cost == prices.spotPerHour.cost(forSeconds: F.hour + 720))
    }

    @Test(arguments: 1...4)
    func oneZoneReplaysLikeTheSingleZoneReplay(seed: UInt64) {
        var generator = TestGenerator(state: seed * 31)
        for _ in 0..<25 {
            let trace = SpotPolicyPropertyTests.randomTrace(ticks: 200, using: &generator)
            let workHours = Int64.random(in: 2...12, using: &generator)
            let job = F.job(
                workHours: workHours, deadlineHours: workHours + Int64.random(in: 1...12, using: &generator))
            let start = Int.random(in: 0..<trace.count, using: &generator)
            let single = SpotReplay(trace: trace, job: job)
            let multi = MultiZoneReplay(market: SpotMarket(zones: [trace]), job: job)
            for policy in M.singleZonePolicies(for: job) + [SpotOnlyPolicy()] {
                // The same run, its spot ticks named by their zone (0) rather than S.
                var expected = single.run(policy, from: start)
                expected.actions = expected.actions.replacingOccurrences(of: "S", with: "0")
                #expect(
                    multi.run(M.zoned(policy), from: start) == expected, "\(policy.name), start \(start), job \(job)")
            }
        }
    }
}
