import BrokerCore
import Foundation
import Testing

@Suite("market auto's pilot: the replay's bookkeeping, kept across passes and restarts")
struct AutoMarketPilotTests {
    private let job = SpotJob(workSeconds: 10 * 3600, deadlineSeconds: 13 * 3600)

    /// Spot for an hour, gone for five, back for the rest; one observation per 10 minutes, the
    /// work done following the decisions as the replay counts it.
    private func observations() -> [AutoMarketPilot.Observation] {
        (0..<60).map { (tick: Int) -> AutoMarketPilot.Observation in
            let elapsed = Int64(tick) * 600
            let available = tick < 6 || tick >= 36
            return AutoMarketPilot.Observation(
                elapsedSeconds: elapsed, tickSeconds: 600, workDoneSeconds: elapsed / 2, spotAvailable: available,
                spotLost: tick == 6)
        }
    }

    @Test("stored as JSON mid-run and read back, it goes on deciding exactly as if never stopped")
    func survivesARestart() throws {
        var uninterrupted = AutoMarketPilot(job: job, history: .empty)
        let expected = observations().map { uninterrupted.step($0) }
        var pilot = AutoMarketPilot(job: job, history: .empty)
        var decisions: [SpotDecision] = []
        for (index, observation) in observations().enumerated() {
            if index == 30 {
                let stored = try JSONEncoder().encode(pilot)
                pilot = try JSONDecoder().decode(AutoMarketPilot.self, from: stored)
            }
            decisions.append(pilot.step(observation))
        }
        #expect(decisions == expected)
        #expect(Set(decisions) == [.spot, .wait, .onDemand], "the run waits, pays on-demand and rides spot")
    }

    @Test("a spot placement whose nodes were reclaimed is none again; a gang found running elsewhere is where it runs")
    func followsWhatHappened() {
        var pilot = AutoMarketPilot(job: job, history: .empty)
        #expect(
            pilot.step(.init(elapsedSeconds: 0, tickSeconds: 5, workDoneSeconds: 0, spotAvailable: true)) == .spot)
        #expect(pilot.placement == .spot && pilot.placementSince == 0)
        _ = pilot.step(
            .init(elapsedSeconds: 600, tickSeconds: 5, workDoneSeconds: 0, spotAvailable: false, spotLost: true))
        #expect(pilot.placement == .none, "spot gone: the job waits with 3 h of slack")
        _ = pilot.step(
            .init(elapsedSeconds: 1200, tickSeconds: 5, workDoneSeconds: 0, spotAvailable: false, running: .onDemand))
        #expect(pilot.placement == .onDemand && pilot.placementSince == 1200)
        #expect(pilot.lastStepAt == 1200)
    }

    @Test("the pilot weighs the market's own prices; with no spot to price, spot at the paper's 0.3 of on-demand")
    func prices() {
        let known = SpotPrices(
            onDemandPerHour: Money(microdollars: 30_000_000), spotPerHourIfKnown: Money(microdollars: 9_500_000))
        #expect(known.spotPerHour == Money(microdollars: 9_500_000))
        let unknown = SpotPrices(onDemandPerHour: Money(microdollars: 30_000_000), spotPerHourIfKnown: nil)
        #expect(unknown.spotPerHour == Money(microdollars: 9_000_000))
        let pilot = AutoMarketPilot(job: job, history: .empty, prices: known)
        #expect(pilot.policy.prices == known)
    }
}
