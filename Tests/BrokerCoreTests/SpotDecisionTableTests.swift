import Testing

@testable import BrokerCore

@Suite("The spot decision table (the gridbroker policy's dynamic program)")
struct SpotDecisionTableTests {
    typealias F = SpotPolicyFixtures

    /// Spells all `hours` long (and a prior of almost no weight).
    static func spells(hours: Double) -> SpellDistribution {
        var histogram = SpellHistogram()
        for _ in 0..<200 { histogram.add(Int64(hours * 3600)) }
        return SpellDistribution(histogram, priorMeanSeconds: 7200, priorWeight: 0.01)
    }

    static func table(job: SpotJob, runHours: Double, outageHours: Double) -> SpotDecisionTable {
        SpotDecisionTable(
            job: job, runs: spells(hours: runHours), outages: spells(hours: outageHours), spotPriceRatio: 0.3)
    }

    @Test func takesSpotWhereItStays() {
        let job = F.job(workHours: 48, deadlineHours: 52)
        let table = Self.table(job: job, runHours: 500, outageHours: 0.2)
        for (placement, age) in [(SpotPlacement.none, 0.0), (.none, 7200), (.onDemand, 0), (.onDemand, 7200)] {
            for workHours: Int64 in [1, 10, 48] {
                #expect(
                    table.decide(
                        workLeft: workHours * F.hour, slack: 2 * F.hour, placement: placement, available: true,
                        age: age) == .spot, "\(placement), \(workHours) h of work, age \(age)")
            }
        }
        // Short outages are worth waiting out.
        #expect(
            table.decide(workLeft: 10 * F.hour, slack: 2 * F.hour, placement: .none, available: false, age: 0)
                == .wait)
    }

    @Test func runsOnDemandWithoutSlack() {
        let job = F.job(workHours: 48, deadlineHours: 52)
        let table = Self.table(job: job, runHours: 2, outageHours: 1)
        // Less slack than a restart and the outage still to come: on-demand, and stay there.
        let slack = job.restartOverheadSeconds / 2
        #expect(
            table.decide(workLeft: 10 * F.hour, slack: slack, placement: .none, available: false, age: 0)
                == .onDemand)
        #expect(
            table.decide(workLeft: 10 * F.hour, slack: slack, placement: .onDemand, available: true, age: 3600)
                == .onDemand)
        // Outages of an hour with half an hour of slack: waiting cannot pay.
        #expect(
            table.decide(workLeft: 10 * F.hour, slack: F.hour / 2, placement: .none, available: false, age: 0)
                == .onDemand)
    }

    @Test func waitsLongerWithMoreSlack() {
        let job = F.job(workHours: 24, deadlineHours: 48)
        let table = Self.table(job: job, runHours: 6, outageHours: 1)
        func decision(slackHours: Int64) -> SpotDecision {
            table.decide(
                workLeft: 12 * F.hour, slack: slackHours * F.hour, placement: .none, available: false, age: 600)
        }
        #expect(decision(slackHours: 0) == .onDemand)
        #expect(decision(slackHours: 20) == .wait)
    }

    @Test func neverMissesWithAHistoryLearnedFromARandomTrace() {
        var generator = TestGenerator(state: 7)
        for _ in 0..<20 {
            let trace = SpotPolicyPropertyTests.randomTrace(ticks: 600, using: &generator)
            let start = Int.random(in: 200..<400, using: &generator)
            let workHours = Int64.random(in: 4...24, using: &generator)
            let job = F.job(
                workHours: workHours, deadlineHours: workHours + Int64.random(in: 1...24, using: &generator))
            let policy = GridbrokerSpotPolicy(job: job, history: SpotHistory(trace: trace.prefix(before: start)))
            let result = SpotReplay(trace: trace, job: job).run(policy, from: start)
            #expect(result.metDeadline(of: job), "start \(start), job \(job)")
        }
    }

    @Test func aChoiceWinsBetweenTheSlacksWhereItsCostGapCrossesZero() {
        var recorder = SlackCrossingRecorder(cells: 2)
        // Cell 0 loses, wins from a quarter of the way from row 1 to row 2 (750 s), loses from 5/7 of
        // the way from row 3 to row 4, and wins again from 2/3 of the way from row 4 to row 5.
        for (row, gap) in [3.0, 1, -3, -5, 2, -1].enumerated() {
            recorder.record(cell: 0, gap: gap, row: row, stepSeconds: 600)
            recorder.record(cell: 1, gap: gap - 3, row: row, stepSeconds: 600)
        }
        let crossings = recorder.crossings()
        func wins(_ slack: Float, fraction: Float = 0) -> Bool {
            crossings.wins(at: slack, between: 0, and: 0, fraction: fraction)
        }
        #expect(!wins(0) && !wins(749) && wins(750) && wins(2228))
        #expect(!wins(2229) && !wins(2799) && wins(2801) && wins(1e6))
        // Cell 1 wins from no slack on: one crossing against cell 0's three, so the nearer cell decides.
        #expect(crossings.wins(at: 0, between: 0, and: 1, fraction: 0.6))
        #expect(!crossings.wins(at: 0, between: 0, and: 1, fraction: 0.4))
        // Between two cells with as many crossings, each crossing lies between theirs.
        var pair = SlackCrossingRecorder(cells: 2)
        for (row, gap) in [1.0, -1, -1].enumerated() { pair.record(cell: 0, gap: gap, row: row, stepSeconds: 600) }
        for (row, gap) in [1.0, 1, -1].enumerated() { pair.record(cell: 1, gap: gap, row: row, stepSeconds: 600) }
        let between = pair.crossings()
        // 300 s and 900 s: halfway, 600 s.
        #expect(!between.wins(at: 599, between: 0, and: 1, fraction: 0.5))
        #expect(between.wins(at: 600, between: 0, and: 1, fraction: 0.5))
    }

    @Test func hazardsOfSpellsOfOneLength() {
        // Spells of exactly 30 minutes, 10-minute steps: they end in the step from age 20 minutes.
        var histogram = SpellHistogram()
        for _ in 0..<100 { histogram.add(1800) }
        let hazards = SpellHazards(
            SpellDistribution(histogram, priorMeanSeconds: 7200, priorWeight: 0), stepSeconds: 600)
        #expect(hazards.end[0] == 0 && hazards.end[1] == 0)
        #expect(abs(hazards.end[2] - 1) < 1e-9)
        #expect(hazards.bucket(ofAge: 1300) == 2)
        #expect(hazards.advance[0] == 1)
    }

    @Test func theCacheSolvesATableOnce() {
        let cache = SpotDecisionTableCache(capacity: 2)
        let job = F.job(workHours: 4, deadlineHours: 6)
        let key = SpotDecisionTableCache.Key(job: job, history: .empty, prices: .paper)
        var solved = 0
        let solve = {
            solved += 1
            return Self.table(job: job, runHours: 2, outageHours: 1)
        }
        let first = cache.table(for: key, solve: solve)
        #expect(cache.table(for: key, solve: solve) === first)
        #expect(solved == 1)
        // Beyond its capacity, the oldest table goes.
        for deadline: Int64 in [7, 8] {
            _ = cache.table(
                for: .init(job: F.job(workHours: 4, deadlineHours: deadline), history: .empty, prices: .paper),
                solve: solve)
        }
        _ = cache.table(for: key, solve: solve)
        #expect(solved == 4)
    }
}
