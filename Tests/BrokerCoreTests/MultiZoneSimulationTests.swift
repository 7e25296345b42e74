import Testing

@testable import BrokerCore

@Suite("Simulating the multi-zone policies")
struct MultiZoneSimulationTests {
    typealias F = SpotPolicyFixtures

    @Test func runsEveryPolicyForEveryDeadlineAndStartAndSummarizesAgainstOnDemand() {
        let simulation = SpotPolicySimulation(workSeconds: 2 * F.hour, deadlineSeconds: [3 * F.hour, 5 * F.hour])
        // Each zone has spot half the time, one or the other always.
        let half = String(repeating: String(repeating: "1", count: 6) + String(repeating: "0", count: 6), count: 5)
        let other = String(repeating: String(repeating: "0", count: 6) + String(repeating: "1", count: 6), count: 5)
        let market = MultiZoneFixtures.market(half, other)
        let records = simulation.run(market: market, named: "market", starts: [0, 5])
        let names = SpotPolicySimulation.multiZonePolicyNames
        #expect(records.count == 2 * 2 * names.count)
        #expect(Set(records.map(\.policy)) == Set(names))
        #expect(records.allSatisfy { $0.result.metDeadline(of: $0.job) })
        let summary = SpotSimulationSummary(records, deadlines: simulation.deadlineSeconds, policies: names)
        #expect(summary.rows.map(\.policy) == names + names)
        #expect(summary.rows[0].meanRelativeCost == 1)
        // The floor rides the union without a move: 0.3 of the on-demand price.
        let floor = summary.rows[names.count - 1]
        #expect(abs(floor.meanRelativeCost - 0.3) < 1e-9)
        for row in summary.rows { #expect(row.meanRelativeCost > 0.3 - 1e-9, "\(row.policy) below the floor") }
    }
}
