import Testing

@testable import BrokerCore

@Suite("Simulating the spot policies over traces")
struct SpotPolicySimulationTests {
    typealias F = SpotPolicyFixtures

    @Test func startsLeaveRoomForTheLongestDeadlineWhenTheTraceAllows() {
        let simulation = SpotPolicySimulation(workSeconds: 2 * F.hour, deadlineSeconds: [3 * F.hour, 5 * F.hour])
        var generator = TestGenerator(state: 1)
        let long = F.trace(String(repeating: "1", count: 40))
        #expect(simulation.starts(in: long, count: 200, using: &generator).allSatisfy { (0...10).contains($0) })
        let short = F.trace(String(repeating: "1", count: 12))
        #expect(simulation.starts(in: short, count: 200, using: &generator).allSatisfy { (0...11).contains($0) })
    }

    @Test func runsEveryPolicyForEveryDeadlineAndStartAndSummarizesAgainstOnDemand() {
        let simulation = SpotPolicySimulation(workSeconds: 2 * F.hour, deadlineSeconds: [3 * F.hour, 5 * F.hour])
        let trace = F.trace(String(repeating: "1", count: 60))
        let records = simulation.run(trace: trace, named: "zone", starts: [0, 5])
        #expect(records.count == 2 * 2 * SpotPolicySimulation.policyNames.count)
        #expect(Set(records.map(\.policy)) == Set(SpotPolicySimulation.policyNames))
        let summary = SpotSimulationSummary(
            records, deadlines: simulation.deadlineSeconds, policies: SpotPolicySimulation.policyNames)
        #expect(summary.rows.map(\.policy) == SpotPolicySimulation.policyNames + SpotPolicySimulation.policyNames)
        let onDemand = summary.rows[0]
        #expect(onDemand.meanRelativeCost == 1 && onDemand.runs == 2 && onDemand.missedDeadlines == 0)
        // Spot all along: 0.918 / 3.06 of the price, for the same work plus overhead.
        let omniscient = summary.rows[3]
        #expect(abs(omniscient.meanRelativeCost - 0.3) < 1e-9)
        #expect(omniscient.meanFinishSeconds == Double(2 * F.hour + 720))
    }

    @Test func writesOneJSONLinePerRun() {
        let record = SpotSimulationRecord(
            policy: "gridbroker", trace: "aws \"1a\"", start: 17, job: F.job(workHours: 48, deadlineHours: 52),
            result: SpotRunResult(
                cost: Money(microdollars: 44_064_153), finishedAtSeconds: 48 * F.hour + 1800, starts: 3,
                actions: "SSIO"))
        #expect(
            record.jsonLine
                == #"{"policy": "gridbroker", "trace": "aws \"1a\"", "start": 17, "deadline": 52.0, "cost": 44.064153, "finished_at_hours": 48.5, "actions": "SSIO"}"#
        )
    }
}
