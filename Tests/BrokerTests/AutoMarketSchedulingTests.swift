import BrokerCore
import Foundation
import Testing

@testable import Broker

@Suite("Scheduler: market auto waits for spot while the deadline allows, then takes on-demand")
struct AutoMarketSchedulingTests {
    /// A `market: auto` job of 10 hours on one 8 × H100-SXM node, due `deadlineHours` from now.
    private func submit(_ harness: FleetHarness, deadlineHours: Double) async throws -> String {
        let h100 = try #require(GPUCatalog.standard.model(named: "H100-SXM"))
        return try await harness.submit { spec in
            spec.market = .auto
            spec.work = JobSpec.Work(gpuHours: 80, referenceGPU: h100)
            spec.deadline = harness.clock.now.addingTimeInterval(deadlineHours * 3600)
        }.id
    }

    @Test("with a far deadline it waits rather than pay on-demand, and takes spot once spot appears")
    func waitsForSpot() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:od", dollars: 30, market: .onDemand)])
        let job = try await submit(harness, deadlineHours: 40)

        let first = await harness.fleet.scheduler.pass()
        #expect(first.placed.isEmpty)
        let waiting = try await harness.job(job)
        #expect(waiting.state == .queued)
        #expect(waiting.reason?.contains("waiting for it while the deadline") == true)
        #expect(harness.providers["vast"]!.launches.isEmpty)

        harness.list([
            harness.offer("vast:od", dollars: 30, market: .onDemand),
            harness.offer("vast:sp", dollars: 9, market: .spot),
        ])
        #expect(await harness.fleet.scheduler.pass().placed == [job])
        #expect(try await harness.nodes.nodes(ofJob: job).map(\.market) == [.spot])
    }

    @Test("once the slack is down to its reserve it takes on-demand rather than miss the deadline")
    func takesOnDemandInTime() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:od", dollars: 30, market: .onDemand)])
        let job = try await submit(harness, deadlineHours: 40)
        await harness.fleet.scheduler.pass()
        #expect(try await harness.job(job).state == .queued)

        // 29 h later: 11 h left for 10 h of work.
        harness.clock.advance(by: 29 * 3600)
        harness.list([harness.offer("vast:od", dollars: 30, market: .onDemand)])
        #expect(await harness.fleet.scheduler.pass().placed == [job])
        #expect(try await harness.nodes.nodes(ofJob: job).map(\.market) == [.onDemand])
    }

    @Test(
        "a reclaimed spot node of an auto job: its rank waits for spot elsewhere while the slack allows, then on-demand"
    )
    func replacementFollowsThePolicy() async throws {
        let harness = try await FleetHarness()
        let spot = harness.offer("vast:sp", dollars: 9, region: "zone-a", market: .spot)
        let onDemand = harness.offer("vast:od", dollars: 30, region: "zone-b", market: .onDemand)
        harness.list([spot, onDemand])
        let job = try await submit(harness, deadlineHours: 40)
        await harness.fleet.scheduler.pass()
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        let node = try #require(try await harness.nodes.nodes(ofJob: job).first)
        #expect(node.market == .spot)

        // The zone that reclaimed it is avoided; no other spot fits, and 40 h leave plenty of slack.
        _ = try await harness.nodes.preempt(node: node.id, reason: "spot interruption notice", at: harness.clock.now)
        let waiting = await harness.fleet.scheduler.pass()
        #expect(waiting.placed.isEmpty)
        #expect(waiting.waiting[job]?.contains("waiting for it while the deadline") == true)
        // The job says so too, once.
        #expect(try await harness.job(job).reason == waiting.waiting[job])
        await harness.fleet.scheduler.pass()
        #expect(try await harness.jobs.events(ofJob: job).filter { $0.kind == "job.waiting" }.count == 1)

        // 28 h later the slack is down to its reserve: the rank goes on-demand.
        harness.clock.advance(by: 28 * 3600)
        harness.list(
            [spot, onDemand].map { offer in
                var offer = offer
                offer.lastSeenAt = harness.clock.now
                return offer
            })
        #expect(await harness.fleet.scheduler.pass().placed == [job])
        let replacement = try #require(try await harness.nodes.nodes(ofJob: job).last)
        #expect(replacement.replacesNodeId == node.id)
        #expect(replacement.market == .onDemand)
    }

    @Test("a gang's lost rank never waits for spot: the survivors would bill idle meanwhile")
    func survivorsDoNotWait() async throws {
        let harness = try await FleetHarness()
        let spot = harness.offer("vast:sp", dollars: 9, region: "zone-a", market: .spot, available: 2)
        let onDemand = harness.offer("vast:od", dollars: 30, region: "zone-a", market: .onDemand)
        harness.list([spot, onDemand])
        let h100 = try #require(GPUCatalog.standard.model(named: "H100-SXM"))
        let job = try await harness.submit(nodes: 2) { spec in
            spec.market = .auto
            spec.work = JobSpec.Work(gpuHours: 160, referenceGPU: h100)
            spec.deadline = harness.clock.now.addingTimeInterval(40 * 3600)
        }.id
        await harness.fleet.scheduler.pass()
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        let gang = try await harness.nodes.nodes(ofJob: job)
        #expect(gang.map(\.market) == [.spot, .spot])

        _ = try await harness.nodes.preempt(node: gang[1].id, reason: "spot interruption notice", at: harness.clock.now)
        #expect(await harness.fleet.scheduler.pass().placed == [job])
        let replacement = try #require(try await harness.nodes.nodes(ofJob: job).last)
        #expect(replacement.replacesNodeId == gang[1].id)
        #expect(replacement.market == .onDemand)
    }
}
