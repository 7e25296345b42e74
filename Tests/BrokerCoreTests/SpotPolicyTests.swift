import Testing

@testable import BrokerCore

@Suite("Spot policies on hand-made traces")
struct SpotPolicyTests {
    typealias F = SpotPolicyFixtures
    let prices = SpotPrices.paper

    @Test func alwaysAvailableSpotCostsTheWorkPlusOneOverheadOnSpot() {
        let trace = F.trace(String(repeating: "1", count: 100))
        let job = F.job(workHours: 10, deadlineHours: 12)
        let replay = SpotReplay(trace: trace, job: job)
        for policy in F.policies(for: job, trace: trace, start: 0).dropFirst() {
            let result = replay.run(policy, from: 0)
            #expect(result.cost == prices.spotPerHour.cost(forSeconds: job.workSeconds + 720), "\(policy.name)")
            #expect(result.finishedAtSeconds == job.workSeconds + 720, "\(policy.name)")
        }
        // 10.2 h at 0.918 $/h, accrued tick by tick without rounding loss.
        #expect(prices.spotPerHour.cost(forSeconds: job.workSeconds + 720) == Money(microdollars: 9_363_600))
    }

    @Test func neverAvailableSpotCostsOnDemandOnly() {
        let trace = F.trace(String(repeating: "0", count: 100))
        let job = F.job(workHours: 10, deadlineHours: 12)
        let replay = SpotReplay(trace: trace, job: job)
        let onDemand = prices.onDemandPerHour.cost(forSeconds: job.workSeconds + 720)
        for policy in F.policies(for: job, trace: trace, start: 0) {
            let result = replay.run(policy, from: 0)
            #expect(result.cost == onDemand, "\(policy.name)")
            #expect(result.metDeadline(of: job), "\(policy.name)")
        }
    }

    @Test func policiesLeaveSpotInTimeWhenGreedySpotWouldMissTheDeadline() {
        // Spot for the first 3 hours, then gone for 9 hours, then back.
        let trace = F.trace(String(repeating: "1", count: 18) + String(repeating: "0", count: 54) + "1111111111")
        let job = F.job(workHours: 10, deadlineHours: 12)
        let replay = SpotReplay(trace: trace, job: job)
        #expect(!replay.run(SpotOnlyPolicy(), from: 0).metDeadline(of: job))
        let onDemandOnly = replay.run(OnDemandOnlyPolicy(), from: 0).cost
        for policy in F.policies(for: job, trace: trace, start: 0) {
            let result = replay.run(policy, from: 0)
            #expect(result.metDeadline(of: job), "\(policy.name)")
            #expect(result.cost <= onDemandOnly, "\(policy.name)")
        }
        // The best plan rides the 3 spot hours and finishes on on-demand right after: two starts.
        let omniscient = replay.run(
            OmniscientPolicy(planner: OmniscientPlanner(trace: trace, job: job), start: 0), from: 0)
        #expect(
            omniscient.cost
                == prices.spotPerHour.cost(forSeconds: 3 * F.hour)
                + prices.onDemandPerHour.cost(forSeconds: 7 * F.hour + 2 * 720))
    }

    @Test func aPreemptedSpotNodePaysTheOverheadAgain() {
        // 1 h of spot, 10 minutes gone, then spot again.
        let trace = F.trace("111111" + "0" + String(repeating: "1", count: 40))
        let job = F.job(workHours: 2, deadlineHours: 6)
        let result = SpotReplay(trace: trace, job: job).run(SpotOnlyPolicy(), from: 0)
        // 1 h on spot (0.8 h of work), 10 minutes of nothing, then 1.2 h of work + 0.2 h overhead.
        #expect(result.finishedAtSeconds == F.hour + F.tick + 2 * F.hour - (F.hour - 720) + 720)
        #expect(result.cost == prices.spotPerHour.cost(forSeconds: 2 * F.hour + 2 * 720))
    }

    @Test func theTraceEndingFinishesTheRunOnOnDemand() {
        let trace = F.trace("111111")
        let job = F.job(workHours: 3, deadlineHours: 8)
        let result = SpotReplay(trace: trace, job: job).run(SpotOnlyPolicy(), from: 0)
        // 0.8 h of work on spot, then 2.2 h of work plus a restart on on-demand from the trace's end.
        #expect(result.finishedAtSeconds == F.hour + 720 + (3 * F.hour - (F.hour - 720)))
        #expect(
            result.cost
                == prices.spotPerHour.cost(forSeconds: F.hour)
                + prices.onDemandPerHour.cost(forSeconds: 720 + 3 * F.hour - (F.hour - 720)))
    }

    @Test func uniformProgressGoesOnDemandWhenBehindTheLineAndSpotIsGone() {
        let job = F.job(workHours: 10, deadlineHours: 20)
        let policy = UniformProgressPolicy()
        var state = SpotPolicyState(
            job: job, tickSeconds: F.tick, tick: 0, workDoneSeconds: 0, placement: .none, overheadLeftSeconds: 0,
            spotAvailable: false)
        #expect(policy.decide(state) == .wait)
        state.tick = 12  // 2 h in, nothing done: behind the line of 1 h
        #expect(policy.decide(state) == .onDemand)
        state.spotAvailable = true
        #expect(policy.decide(state) == .spot)
        state.placement = .onDemand  // on on-demand and still behind: stays
        #expect(policy.decide(state) == .onDemand)
        state.workDoneSeconds = 2 * F.hour  // ahead of the line: back to spot
        #expect(policy.decide(state) == .spot)
    }
}
