import Testing

@testable import BrokerCore

@Suite("The gridbroker spot policy")
struct GridbrokerSpotPolicyTests {
    typealias F = SpotPolicyFixtures

    /// Spot that flaps: 10 minutes there, 10 minutes gone, and back at the end.
    static let flapping = SpotHistory(trace: F.trace(String(repeating: "10", count: 100) + "1"))

    /// Spot that flaps a while (six 10-minute runs), then stays 8 hours, five times over.
    static let mixed = SpotHistory(
        trace: F.trace(
            String(repeating: String(repeating: "10", count: 6) + String(repeating: "1", count: 48) + "0", count: 5)))

    /// Decisions of a job on on-demand at the given times, spot back from 585 s on.
    private func onDemandDecisions(every interval: Int64, until end: Int64) -> [Int64: SpotDecision] {
        let job = F.job(workHours: 10, deadlineHours: 12)
        var policy = GridbrokerSpotPolicy(job: job, history: Self.mixed)
        var decisions: [Int64: SpotDecision] = [:]
        for elapsed in stride(from: Int64(0), to: end, by: Int(interval)) {
            let state = SpotPolicyState(
                job: job, tickSeconds: interval, tick: Int(elapsed / interval), workDoneSeconds: elapsed,
                placement: .onDemand, overheadLeftSeconds: 0, spotAvailable: elapsed >= 585)
            decisions[elapsed] = policy.decide(state)
        }
        return decisions
    }

    @Test func decidesAlikeOnTheSameObservationsAtTheSameTimesWhateverTheCallingRate() {
        let everyTick = onDemandDecisions(every: 195, until: 3 * 3600)
        let everyFiveSeconds = onDemandDecisions(every: 5, until: 3 * 3600)
        // It waits for spot to have lasted a while before leaving on-demand, whatever the rate.
        #expect(everyTick[780] == .onDemand && everyTick.values.contains(.spot))
        for (elapsed, decision) in everyTick {
            #expect(everyFiveSeconds[elapsed] == decision, "at \(elapsed) s")
        }
    }

    @Test func learnsFromTheHistoryBeforeTheStart() {
        // A job on on-demand with two hours of slack for ten of work, and spot there.
        let job = F.job(workHours: 10, deadlineHours: 12)
        let state = SpotPolicyState(
            job: job, tickSeconds: 195, tick: 0, workDoneSeconds: 0, placement: .onDemand, overheadLeftSeconds: 0,
            spotAvailable: true)
        // Without history, the prior expects spot to stay a while: take it.
        var fresh = GridbrokerSpotPolicy(job: job, history: .empty)
        #expect(fresh.decide(state) == .spot)
        // Where spot has only ever come for 10 minutes, a switch would not pay its restart: stay.
        var learned = GridbrokerSpotPolicy(job: job, history: Self.flapping)
        #expect(learned.decide(state) == .onDemand)
    }

    @Test func staysOnSpotAndRunsOnDemandWhenTheDeadlineRequires() {
        let job = F.job(workHours: 10, deadlineHours: 12)
        var policy = GridbrokerSpotPolicy(job: job, history: Self.mixed)
        var state = SpotPolicyState(
            job: job, tickSeconds: F.tick, tick: 0, workDoneSeconds: 0, placement: .spot, overheadLeftSeconds: 0,
            spotAvailable: true)
        #expect(policy.decide(state) == .spot)
        state.tick = 11  // 1 h 50 min in, nothing done: one more tick off on-demand could miss
        #expect(state.mustRunOnDemand)
        #expect(policy.decide(state) == .onDemand)
    }
}
