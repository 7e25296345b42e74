import Testing

@testable import BrokerCore

@Suite("The multi-zone omniscient floor against brute force")
struct MultiZoneOmniscientTests {
    typealias F = SpotPolicyFixtures
    typealias M = MultiZoneFixtures

    /// The floor for a job from `start`, as the simulation computes it.
    static func floor(market: SpotMarket, job: SpotJob, start: Int) -> SpotRunResult {
        let records = SpotPolicySimulation(workSeconds: job.workSeconds, deadlineSeconds: [job.deadlineSeconds])
            .run(market: market, named: "market", starts: [start])
        return records.first { $0.policy == "omniscient" }!.result
    }

    static func randomJob(using generator: inout TestGenerator) -> SpotJob {
        let workHours = Int64.random(in: 1...4, using: &generator)
        return F.job(workHours: workHours, deadlineHours: workHours + Int64.random(in: 1...4, using: &generator))
    }

    @Test(arguments: 1...6)
    func theFloorIsUnderTheOptimumAndThePoliciesAboveIt(seed: UInt64) throws {
        var generator = TestGenerator(state: seed * 104_729)
        for _ in 0..<12 {
            let market = M.randomMarket(zones: 3, ticks: 60, using: &generator)
            let job = Self.randomJob(using: &generator)
            let optimum = try #require(M.bruteForce(market: market, job: job, start: 0))
            let floor = Self.floor(market: market, job: job, start: 0)
            #expect(floor.metDeadline(of: job))
            #expect(floor.cost <= optimum, "job \(job), market \(market.zones.map(\.available))")
            for policy in M.onlinePolicies(for: job) {
                #expect(
                    MultiZoneReplay(market: market, job: job).run(policy, from: 0).cost >= optimum, "\(policy.name)")
            }
        }
    }

    @Test(arguments: 1...4)
    func theFloorIsTheOptimumWhenOneZoneHasSpotWheneverAnyDoes(seed: UInt64) throws {
        var generator = TestGenerator(state: seed * 7919)
        for _ in 0..<12 {
            let others = M.randomMarket(zones: 2, ticks: 60, using: &generator)
            let market = SpotMarket(zones: [others.union] + others.zones)
            let job = Self.randomJob(using: &generator)
            let optimum = try #require(M.bruteForce(market: market, job: job, start: 0))
            let floor = Self.floor(market: market, job: job, start: 0)
            #expect(floor.cost == optimum, "job \(job), market \(market.zones.map(\.available))")
        }
    }

    @Test func theFloorDoesNotPayForMovesBetweenZones() throws {
        // Zone 0 for 2 hours, zone 1 from 1 hour on: spot all along in the union, but a job that cannot
        // wait an hour for zone 1 moves there when zone 0 ends, and pays a second overhead.
        let market = M.market(
            String(repeating: "1", count: 12) + String(repeating: "0", count: 48),
            String(repeating: "0", count: 6) + String(repeating: "1", count: 54))
        let job = SpotJob(workSeconds: 2 * F.hour, deadlineSeconds: 2 * F.hour + 3000)
        let optimum = try #require(M.bruteForce(market: market, job: job, start: 0))
        let floor = Self.floor(market: market, job: job, start: 0)
        #expect(floor.cost == SpotPrices.paper.spotPerHour.cost(forSeconds: 2 * F.hour + 720))
        #expect(optimum == SpotPrices.paper.spotPerHour.cost(forSeconds: 2 * F.hour + 2 * 720))
    }
}
