import Foundation
import Testing

@testable import BrokerCore

@Suite("Learning a zone's spot history")
struct SpotHistoryTests {
    typealias F = SpotPolicyFixtures

    @Test func countsCompletedRunsAndOutagesButNotTheSpellsCutByTheHistorysEnds() {
        // 00 | 111 | 000 | 1111 | 0: the first spell began before, the last one is still going on.
        let history = SpotHistory(trace: F.trace("0011100011110"))
        #expect(history.observedSeconds == 13 * F.tick)
        #expect(history.availableSeconds == 7 * F.tick)
        #expect(history.runs.spells == 2 && history.outages.spells == 1)
        // 30 and 40 minutes fall in the bin from 30 to 45 minutes, with their seconds summed.
        let bin = SpellHistogram.edges.firstIndex(of: 1800)!
        #expect(history.runs.counts[bin] == 2 && history.runs.seconds[bin] == 7 * F.tick)
        #expect(history.outages.counts[bin] == 1 && history.outages.seconds[bin] == 3 * F.tick)
        #expect(!history.endsAvailable && history.endingSpellSeconds == F.tick)
        #expect(history.availableShare == 7.0 / 13)
    }

    @Test func anEmptyOrUnbrokenHistoryHasNoCompletedSpell() {
        #expect(SpotHistory(trace: F.trace("")) == .empty)
        let unbroken = SpotHistory(trace: F.trace("1111"))
        #expect(unbroken.runs.spells == 0 && unbroken.outages.spells == 0)
        #expect(unbroken.endsAvailable && unbroken.endingSpellSeconds == 4 * F.tick)
    }

    @Test func aGangHasSpotOnlyWhereTheTraceCountsEnoughInstances() {
        let trace = SpotTrace(tickSeconds: F.tick, counts: [0, 2, 3, 1, 2, 2, 0, 5])
        #expect(trace.available == [false, true, true, true, true, true, false, true])
        let pairs = trace.gangs(of: 2)
        #expect(pairs.counts == [0, 1, 1, 0, 1, 1, 0, 2])
        #expect(pairs.available == [false, true, true, false, true, true, false, true])
        let history = SpotHistory(trace: trace, gang: 2)
        #expect(history == SpotHistory(trace: pairs))
        #expect(history.runs.spells == 2 && history.outages.spells == 2)
        #expect(history.availableSeconds == 5 * F.tick)
        #expect(SpotHistory(trace: trace).outages.spells == 1)
    }

    @Test func theHistoryAndAPolicyInMidRunSurviveJSON() throws {
        let history = SpotHistory(trace: F.trace("0110001111100111"))
        #expect(try JSONDecoder().decode(SpotHistory.self, from: JSONEncoder().encode(history)) == history)
        let job = F.job(workHours: 10, deadlineHours: 12)
        var policy = GridbrokerSpotPolicy(job: job, history: history)
        var state = SpotPolicyState(
            job: job, tickSeconds: 195, tick: 3, workDoneSeconds: 0, placement: .none, overheadLeftSeconds: 0,
            spotAvailable: false)
        _ = policy.decide(state)
        var decoded = try JSONDecoder().decode(
            GridbrokerSpotPolicy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
        for tick in 4..<40 {
            state.tick = tick
            state.spotAvailable = tick % 9 > 4
            #expect(decoded.decide(state) == policy.decide(state))
        }
    }
}
