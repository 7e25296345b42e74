import BrokerCore
import Foundation
import Store
import Synchronization
import Testing

@testable import Broker

/// A policy that records each state it is shown and what it answered (the replay runs a copy).
private struct RecordingPolicy: SpotPolicy {
    final class Log: Sendable {
        let entries = Mutex<[(state: SpotPolicyState, decision: SpotDecision)]>([])
    }

    var inner: GridbrokerSpotPolicy
    let log: Log

    var name: String { inner.name }

    mutating func decide(_ state: SpotPolicyState) -> SpotDecision {
        let decision = inner.decide(state)
        log.entries.withLock { $0.append((state, decision)) }
        return decision
    }
}

@Suite("Scheduler: market auto runs the policy simulate-policy measures, one step per pass, moves included")
struct AutoMarketPilotSchedulingTests {
    private static let tick: Int64 = 600

    /// Spot availability per 10-minute tick: runs and outages long enough for waits, on-demand
    /// and a return to spot.
    private static let trace: [Bool] =
        Array(repeating: true, count: 8) + Array(repeating: false, count: 30) + Array(repeating: true, count: 6)
        + Array(repeating: false, count: 2) + Array(repeating: true, count: 60)

    /// A `market: auto` job of 10 h of work on one 8 × H100-SXM node, due `deadlineHours` from now.
    private static func submit(to harness: FleetHarness, deadlineHours: Double, shards: Int) async throws -> String {
        let h100 = try #require(GPUCatalog.standard.model(named: "H100-SXM"))
        let submitted = harness.clock.now
        return try await harness.submit { spec in
            spec.market = .auto
            spec.work = JobSpec.Work(gpuHours: 80, referenceGPU: h100)
            spec.deadline = submitted.addingTimeInterval(deadlineHours * 3600)
            spec.dataset = JobSpec.Dataset(uri: "s3://data", shards: shards)
        }.id
    }

    @Test("decisions tick by tick are the replay's on the same trace, and each change of market is on the timeline")
    func daemonDecidesAsTheReplay() async throws {
        let harness = try await FleetHarness(
            settings: SchedulerSettings(interval: .seconds(Self.tick), defaultLaunchTimeout: .seconds(300)))
        let submitted = harness.clock.now
        // 300 shards of 2 minutes each.
        let job = try await Self.submit(to: harness, deadlineHours: 13, shards: 300)
        func spot(_ region: String) -> Offer {
            harness.offer("aws:sp-\(region)", dollars: 9, region: region, market: .spot)
        }

        var daemon: [SpotPlacement] = []
        var tick = 0
        var workSeconds: Int64 = 0
        var shardSeconds: Int64 = 0
        var replay: [(state: SpotPolicyState, decision: SpotDecision)] = []
        while replay.isEmpty || tick < replay.count {
            harness.clock.set(to: submitted.addingTimeInterval(Double(Int64(tick) * Self.tick)))
            let available = Self.trace[tick]
            // Two spot zones follow the trace: a replacement avoids the zone that reclaimed its node.
            let onDemand = harness.offer("vast:od", dollars: 30, region: "r1", market: .onDemand)
            harness.market.record(provider: "vast", seen: [onDemand], expiredBefore: harness.clock.now)
            harness.market.record(
                provider: "aws", seen: available ? [spot("z1"), spot("z2")] : [], expiredBefore: harness.clock.now)
            let live = try await harness.nodes.nodes(ofJob: job).filter { [.running, .preempting].contains($0.state) }
            if !replay.isEmpty {
                // The nodes report the replay's progress: the work done by this tick.
                let done = Int(replay[tick].state.workDoneSeconds / shardSeconds)
                for node in live {
                    _ = try await harness.nodes.recordHeartbeat(
                        Heartbeat(status: .running, shardsDone: Array(0..<done)), node: node.id, at: harness.clock.now)
                }
            }
            // Spot gone: the job's spot node is reclaimed.
            for node in live where node.state == .running && node.market == .spot && !available {
                _ = try await harness.nodes.preempt(node: node.id, reason: "spot reclaimed", at: harness.clock.now)
            }
            await harness.fleet.scheduler.pass()
            let pilot = try #require(try await harness.jobs.marketPilot(job: job))
            #expect(pilot.lastStepAt == Int64(tick) * Self.tick, "one step per pass, at tick \(tick)")
            daemon.append(pilot.placement)
            if replay.isEmpty {
                // The replay of the same policy, from the frame the daemon fixed at its first decision.
                workSeconds = pilot.job.workSeconds
                shardSeconds = workSeconds / 300
                #expect(workSeconds == 36_000 && pilot.job.deadlineSeconds == 13 * 3600)
                let log = RecordingPolicy.Log()
                _ = SpotReplay(
                    trace: SpotTrace(tickSeconds: Self.tick, available: Self.trace), job: pilot.job
                ).run(
                    RecordingPolicy(
                        inner: GridbrokerSpotPolicy(
                            job: pilot.job, history: pilot.policy.history, prices: pilot.policy.prices),
                        log: log), from: 0)
                replay = log.entries.withLock { $0 }
            }
            try await harness.boot("vast")
            try await harness.boot("aws")
            tick += 1
        }
        // Where each replayed decision put the job (spot while none is available is a wait).
        let replayed = zip(replay.map(\.state.spotAvailable), replay.map(\.decision)).map { available, decision in
            decision == .spot && !available ? SpotPlacement.none : decision.placement
        }
        func letters(_ placements: [SpotPlacement]) -> String {
            String(placements.map { $0 == .spot ? "S" : $0 == .onDemand ? "O" : "I" })
        }
        #expect(letters(daemon) == letters(replayed))
        // The run had something to decide: it waited, ran on both markets and came back to spot.
        let letters = letters(daemon)
        #expect(letters.contains("I") && letters.contains("OS"), "\(letters)")
        let moves = try await harness.jobs.events(ofJob: job).filter { $0.kind == "job.market" }
        #expect(
            moves.contains {
                $0.message.hasPrefix("market auto: back to spot: $9.00/h instead of on-demand's $30.00/h")
            })
    }

    @Test("a job on spot that falls behind moves to on-demand before the point of no return: launch, resume, release")
    func plannedMoveToOnDemand() async throws {
        let harness = try await FleetHarness()
        let job = try await Self.submit(to: harness, deadlineHours: 20, shards: 100)
        func list() {
            harness.list([
                harness.offer("vast:od", dollars: 30, region: "r1", market: .onDemand),
                harness.offer("aws:sp", dollars: 9, region: "r2", market: .spot),
            ])
        }
        list()
        await harness.fleet.scheduler.pass()
        try await harness.boot("aws")
        await harness.fleet.scheduler.pass()
        let spotNode = try #require(try await harness.nodes.nodes(ofJob: job).first)
        #expect(spotNode.market == .spot && spotNode.state == .running)

        // 9 h later the node has done a tenth of the work: 9 h of it are left, 11 h to the deadline.
        harness.clock.advance(by: 9 * 3600)
        list()
        _ = try await harness.nodes.recordHeartbeat(
            Heartbeat(status: .running, shardsDone: Array(0..<10)), node: spotNode.id, at: harness.clock.now)
        #expect(await harness.fleet.scheduler.pass().moved.isEmpty, "slack left: it stays on spot")

        // 10 h 50 min in, nothing more done: a reclaim now (one more restart) would miss the deadline.
        harness.clock.advance(by: 110 * 60)
        list()
        _ = try await harness.nodes.recordHeartbeat(
            Heartbeat(status: .running, shardsDone: Array(0..<10)), node: spotNode.id, at: harness.clock.now)
        let moved = try #require(await harness.fleet.scheduler.pass().moved[job])
        #expect(moved.hasPrefix("market auto: to on-demand before the point of no return: 9.0 h of work left"))
        #expect(moved.contains("on-demand $30.00/h instead of spot's $9.00/h"))
        #expect(try await harness.job(job).state == .migrating)
        #expect(
            try await harness.nodes.nodes(ofJob: job).first?.state == .preempting, "it bills until the move is done")

        // The replacement goes on-demand; once it runs the job resumes and the spot node is let go.
        #expect(await harness.fleet.scheduler.pass().placed == [job])
        try await harness.boot("vast")
        #expect(await harness.fleet.scheduler.pass().resumed == [job])
        let nodes = try await harness.nodes.nodes(ofJob: job)
        #expect(nodes.map(\.market) == [.spot, .onDemand])
        #expect(nodes.map(\.state) == [.terminating, .running])
        #expect(try await harness.jobs.events(ofJob: job).contains { $0.kind == "job.market" })
    }

    @Test("the pilot learns from the recorded spot capacity when in the UTC day spot came and went")
    func thePilotLearnsTheTimeOfDayInUTC() async throws {
        let harness = try await FleetHarness(
            settings: SchedulerSettings(interval: .seconds(Self.tick), defaultLaunchTimeout: .seconds(300)))
        let now = harness.clock.now
        let secondOfDay = Int64(now.timeIntervalSince1970) % 86_400
        let midnight = now.addingTimeInterval(-Double(secondOfDay))
        // The three days before the job, as polls recorded them: spot from midnight (06:00 on the
        // first day, where the record starts) to noon UTC.
        var book = OfferBook()
        for (hours, hasSpot) in [(-66.0, true), (-60, false), (-48, true), (-36, false), (-24, true), (-12, false)] {
            let at = midnight.addingTimeInterval(hours * 3600)
            var spot = harness.offer("aws:sp-z1", dollars: 9, region: "z1", market: .spot)
            (spot.firstSeenAt, spot.lastSeenAt) = (at, at)
            let listing = hasSpot ? [spot] : []
            let changes: OfferChanges
            (book, changes) = book.updated(
                provider: "aws", listing: listing, at: at, expiredBefore: at.addingTimeInterval(-300))
            _ = try await harness.store.offers().ingest(changes, listing: listing, provider: "aws", at: at)
        }
        harness.list([harness.offer("vast:od", dollars: 30)])
        let job = try await Self.submit(to: harness, deadlineHours: 13, shards: 300)
        await harness.fleet.scheduler.pass()
        let history = try #require(try await harness.jobs.marketPilot(job: job)).policy.history
        // Runs ended in the hour before noon (block 09:00-12:00), outages before midnight (21:00-24:00);
        // the last outage is still going on.
        #expect(history.day.runEnds == [0, 0, 0, 3, 0, 0, 0, 0])
        #expect(history.day.outageEnds == [0, 0, 0, 0, 0, 0, 0, 2])
        // The history ends now, in whole minutes from its first point at 06:00.
        #expect(history.endSecondOfDay <= secondOfDay && history.endSecondOfDay > secondOfDay - 60)
    }
}
