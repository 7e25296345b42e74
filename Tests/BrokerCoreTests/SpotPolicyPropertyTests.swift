import Testing

@testable import BrokerCore

@Suite("Spot policies on random traces")
struct SpotPolicyPropertyTests {
    typealias F = SpotPolicyFixtures

    /// A trace of runs and gaps of random lengths, some zones mostly up, some mostly down.
    static func randomTrace(ticks: Int, using generator: inout TestGenerator) -> SpotTrace {
        let upShare = Double.random(in: 0.1...0.95, using: &generator)
        var available: [Bool] = []
        while available.count < ticks {
            let up = Double.random(in: 0..<1, using: &generator) < upShare
            available += Array(repeating: up, count: Int.random(in: 1...30, using: &generator))
        }
        return SpotTrace(tickSeconds: F.tick, available: Array(available.prefix(ticks)))
    }

    @Test(arguments: 1...8)
    func noPolicyMissesAndOmniscientIsTheFloor(seed: UInt64) {
        var generator = TestGenerator(state: seed)
        for _ in 0..<25 {
            let trace = Self.randomTrace(ticks: 240, using: &generator)
            let workHours = Int64.random(in: 2...12, using: &generator)
            let job = F.job(
                workHours: workHours, deadlineHours: workHours + Int64.random(in: 1...12, using: &generator))
            let start = Int.random(in: 0..<trace.count, using: &generator)
            let replay = SpotReplay(trace: trace, job: job)
            let planner = OmniscientPlanner(trace: trace, job: job)
            let plan = planner.plan(from: start)
            let results = F.policies(for: job, trace: trace, start: start).map {
                ($0.name, replay.run($0, from: start))
            }
            let onDemandOnly = results[0].1.cost
            let overhead = SpotPrices.paper.onDemandPerHour.cost(forSeconds: job.restartOverheadSeconds)
            let omniscient = results.last!.1.cost
            for (name, result) in results {
                #expect(result.metDeadline(of: job), "\(name) missed, start \(start), job \(job)")
                #expect(plan.lowerBound <= result.cost, "\(name) below the floor")
                #expect(omniscient <= result.cost, "omniscient dearer than \(name), start \(start), job \(job)")
                // Each start bills at most one overhead of no progress, at most at the on-demand price.
                #expect(result.cost <= onDemandOnly + overhead * (result.starts - 1), "\(name)")
            }
        }
    }
}
