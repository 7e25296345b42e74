import Foundation
import Testing

@testable import BrokerCore

@Suite("How spot capacity changes with the time of day")
struct SpotDayProfileTests {
    typealias F = SpotPolicyFixtures

    /// Three days of hourly ticks from `startHour`: spot from 00:00 to 12:00 each day, gone after.
    static func halfDays(startHour: Int) -> SpotTrace {
        let day = String(repeating: "1", count: 12) + String(repeating: "0", count: 12)
        let days = String(repeating: day, count: 4)
        return SpotTrace(
            tickSeconds: F.hour,
            available: days.dropFirst(startHour).prefix(72).map { $0 == "1" })
    }

    @Test func aHistoryCountsWhereInTheDayItsSpellsEnded() {
        let history = SpotHistory(trace: Self.halfDays(startHour: 0))
        let day = history.day
        // Runs end in the hour from 11:00 (block 09:00-12:00), outages from 23:00 (block 21:00-24:00);
        // the last outage is still going on when the history ends.
        #expect(day.runEnds == [0, 0, 0, 3, 0, 0, 0, 0])
        #expect(day.outageEnds == [0, 0, 0, 0, 0, 0, 0, 2])
        #expect(day.runSeconds == [3, 3, 3, 3, 0, 0, 0, 0].map { $0 * 3 * F.hour })
        #expect(day.outageSeconds == [0, 0, 0, 0, 3, 3, 3, 3].map { $0 * 3 * F.hour })
        #expect(history.endSecondOfDay == 0)
        // Started at 14:00 by the clock, the same runs end at 01:00.
        let shifted = SpotHistory(trace: Self.halfDays(startHour: 0), startSecondOfDay: 14 * F.hour)
        #expect(shifted.day.runEnds == [3, 0, 0, 0, 0, 0, 0, 0])
        #expect(shifted.endSecondOfDay == 14 * F.hour)
    }

    @Test func blocksWithMoreEndsPerHourThanTheDayHaveAHigherHazard() {
        let factors = SpotHistory(trace: Self.halfDays(startHour: 0)).day.runFactors
        // Three ends in 9 hours against three in 36 over the day, blended with 20 ends at the day's rate.
        #expect(abs(factors[3] - (3 + 20) / (9.0 * 3 / 36 + 20)) < 1e-9)
        #expect(factors[0] < 1 && factors[3] > 1)
        #expect(SpotDayProfile().runFactors == Array(repeating: 1, count: SpotDayProfile.blocks))
    }

    @Test func aHistoryPersistedWithoutTheTimeOfDayDecodesWithoutIt() throws {
        let history = SpotHistory(trace: Self.halfDays(startHour: 5))
        var json = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(history)) as? [String: Any])
        #expect(try JSONDecoder().decode(SpotHistory.self, from: JSONEncoder().encode(history)) == history)
        json["day"] = nil
        json["endSecondOfDay"] = nil
        let old = try JSONDecoder().decode(SpotHistory.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.day == SpotDayProfile() && old.endSecondOfDay == 0 && old.runs == history.runs)
    }

    @Test func aProfileWithTheWrongNumberOfBlocksIsRefused() throws {
        let json = Data(#"{"runSeconds":[1],"runEnds":[1],"outageSeconds":[1],"outageEnds":[1]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SpotDayProfile.self, from: json) }
    }

    @Test func theHourOfTheDayDecidesWhetherAnOutageIsWorthWaitingOut() {
        // Outages of an hour on average, but ten times as quick to end in the day's first half.
        var day = SpotDayProfile()
        for block in 0..<SpotDayProfile.blocks {
            let quick = block < SpotDayProfile.blocks / 2
            day.add(
                available: false, seconds: 100 * F.hour, at: Int64(block) * SpotDayProfile.blockSeconds, ended: false)
            for _ in 0..<(quick ? 500 : 50) {
                day.add(available: false, seconds: 0, at: Int64(block) * SpotDayProfile.blockSeconds, ended: true)
            }
        }
        let job = F.job(workHours: 12, deadlineHours: 16)
        func decision(startingAt secondOfDay: Int64) -> SpotDecision {
            let table = SpotDecisionTable(
                job: job, runs: SpellDistribution(SpellHistogram(), priorMeanSeconds: 3 * 3600, priorWeight: 20),
                outages: SpellDistribution(SpellHistogram(), priorMeanSeconds: 3600, priorWeight: 20),
                day: day, startSecondOfDay: secondOfDay, spotPriceRatio: 0.3)
            return table.decide(workLeft: 12 * F.hour, slack: 2 * F.hour, placement: .none, available: false, age: 0)
        }
        // Two hours after the start (no work done, two of the four hours of slack spent waiting):
        // at 02:00 the outage is likely to end soon, at 18:00 it is not.
        #expect(decision(startingAt: 0) == .wait)
        #expect(decision(startingAt: 16 * F.hour) == .onDemand)
    }
}
