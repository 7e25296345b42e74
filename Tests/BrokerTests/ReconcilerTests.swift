import BrokerCore
import Foundation
import Providers
import Store
import Testing

@testable import Broker

@Suite("Reconciler and accountant: nothing left billing, every cent counted")
struct ReconcilerTests {
    @Test("cancelling terminates every instance and the nodes end terminated once the provider agrees")
    func cancelTerminates() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10, available: 2)])
        let job = try await harness.submit(nodes: 2)
        await harness.fleet.scheduler.pass()
        _ = try await harness.nodes.finish(
            job: job.id, with: .cancel, reason: "cancelled by the team", at: harness.clock.now)
        await harness.fleet.reconciler.pass()
        #expect(harness.providers["vast"]!.live.isEmpty)
        #expect(try await harness.nodes.nodes(ofJob: job.id).map(\.state) == [.terminating, .terminating])
        await harness.fleet.reconciler.pass()
        #expect(try await harness.nodes.nodes(ofJob: job.id).map(\.state) == [.terminated, .terminated])
        #expect(try await harness.job(job.id).state == .cancelled)
    }

    @Test(
        "a tagged instance of a node that is no longer live is terminated and recorded; another broker's is not touched"
    )
    func orphan() async throws {
        let harness = try await FleetHarness()
        let node = try await harness.terminatedNode()
        let leaked = harness.providers["aws"]!.plant(nodeID: node.id, status: .running)
        let foreign = harness.providers["aws"]!.plant(nodeID: "node_of_another_broker", status: .running)
        let pass = await harness.fleet.reconciler.pass()
        #expect(pass.actions["aws"]?.map(\.action) == [.terminateOrphan(nativeID: leaked, nodeID: node.id)])
        #expect(harness.providers["aws"]!.live.map(\.nativeID) == [foreign])
        let timeline = try await harness.jobs.events(ofJob: node.jobId)
        #expect(timeline.contains { $0.kind == "instance.orphan_terminated" })
    }

    @Test("after a crash between the launch and its write, the instance is adopted, not launched again")
    func adoptsAfterCrash() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10)])
        let job = try await harness.submit()
        // The intent was written, the provider created the instance, the answer was never stored.
        let node = NodeRecord(
            id: "node_crashed", jobID: job.id, rank: 0, offer: harness.offer("vast:a", dollars: 10),
            requestedAt: harness.clock.now)
        _ = try await harness.nodes.beginProvisioning(job: job.id, nodes: [node], at: harness.clock.now)
        let instance = harness.providers["vast"]!.plant(nodeID: "node_crashed")
        await harness.fleet.reconciler.pass()
        let adopted = try #require(try await harness.nodes.node(id: "node_crashed"))
        #expect(adopted.state == .booting)
        #expect(adopted.nativeInstanceId == instance)
        await harness.fleet.scheduler.pass()
        #expect(harness.providers["vast"]!.launches.isEmpty)
        #expect(harness.providers["vast"]!.live.map(\.nativeID) == [instance])
    }

    @Test("a launch that never reached the provider fails after the timeout; a late instance is then an orphan")
    func unlaunched() async throws {
        let harness = try await FleetHarness()
        let job = try await harness.submit()
        let node = NodeRecord(
            id: "node_lost", jobID: job.id, rank: 0, offer: harness.offer("vast:a", dollars: 10),
            requestedAt: harness.clock.now)
        _ = try await harness.nodes.beginProvisioning(job: job.id, nodes: [node], at: harness.clock.now)
        harness.clock.advance(by: 300)
        await harness.fleet.reconciler.pass()
        #expect(try await harness.nodes.node(id: "node_lost")?.state == .failed)
        harness.providers["vast"]!.plant(nodeID: "node_lost")
        await harness.fleet.reconciler.pass()
        #expect(harness.providers["vast"]!.live.isEmpty)
    }

    @Test("a running node missing from two listings in a row vanished; a replacement takes over its rank and shards")
    func vanished() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10, available: 2), harness.offer("aws:b", dollars: 30)])
        let job = try await harness.submit(nodes: 2) { $0.dataset = JobSpec.Dataset(uri: "s3://d", shards: 6) }
        await harness.fleet.scheduler.pass()
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        #expect(try await harness.job(job.id).state == .running)
        let lost = try #require(harness.providers["vast"]!.live.last)
        let lostShards = try await harness.nodes.shards(ofJob: job.id).filter { $0.nodeId == lost.nodeID }.map(\.idx)
        harness.providers["vast"]!.remove(lost.nativeID)
        // One listing without it could be the provider's glitch.
        await harness.fleet.reconciler.pass()
        #expect(try await harness.job(job.id).state == .running)
        await harness.fleet.reconciler.pass()
        let node = try #require(try await harness.nodes.node(id: lost.nodeID))
        #expect(node.state == .terminated)
        #expect(node.reason == "the provider no longer lists the instance")
        #expect(try await harness.job(job.id).state == .migrating)

        // The replacement: same rank, beside the survivor (same provider and region), with the shards.
        await harness.fleet.scheduler.pass()
        let replacement = try #require(try await harness.nodes.nodes(ofJob: job.id).last)
        #expect(replacement.rank == node.rank)
        #expect(replacement.replacesNodeId == node.id)
        #expect(replacement.offerId == "vast:a")
        let moved = try await harness.nodes.shards(ofJob: job.id).filter { $0.nodeId == replacement.id }
        #expect(moved.map(\.idx) == lostShards)
        #expect(moved.allSatisfy { $0.attempts == 2 })

        try await harness.boot("vast")
        #expect(await harness.fleet.scheduler.pass().resumed == [job.id])
        let resumed = try await harness.job(job.id)
        #expect(resumed.state == .running)
        #expect(resumed.reason?.contains("no checkpoint was reported") == true)
    }

    @Test("a node missing before a restart and after it vanished; one seen again between two misses did not")
    func missingCountsAcrossARestart() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10, available: 2)])
        let job = try await harness.submit(nodes: 2)
        await harness.fleet.scheduler.pass()
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        let instances = harness.providers["vast"]!.live
        let (lost, glitched) = (try #require(instances.last), try #require(instances.first))

        harness.providers["vast"]!.remove(lost.nativeID)
        await harness.fleet.reconciler.pass()
        let restarted = harness.restartedFleet()
        await restarted.reconciler.pass()
        #expect(try await harness.nodes.node(id: lost.nodeID)?.state == .terminated)
        #expect(try await harness.job(job.id).state == .migrating)

        // Missing once, listed again, missing once: a glitch each time, not a loss.
        harness.providers["vast"]!.hide(glitched.nativeID)
        await restarted.reconciler.pass()
        harness.providers["vast"]!.unhide(glitched.nativeID)
        await restarted.reconciler.pass()
        harness.providers["vast"]!.hide(glitched.nativeID)
        await restarted.reconciler.pass()
        #expect(try await harness.nodes.node(id: glitched.nodeID)?.state == .running)
    }

    @Test(
        "a reclaim notice (node preempting) interrupts the job, and its replacement avoids the spot pool that took it")
    func preemptionNotice() async throws {
        let harness = try await FleetHarness()
        harness.list([
            harness.offer("vast:a", dollars: 5, market: .spot, available: 2),
            harness.offer("vast:b", dollars: 9, market: .onDemand),
        ])
        let job = try await harness.submit(nodes: 2)
        await harness.fleet.scheduler.pass()
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        let gang = try await harness.nodes.nodes(ofJob: job.id)
        _ = try await harness.nodes.preempt(node: gang[1].id, reason: "spot interruption notice", at: harness.clock.now)
        await harness.fleet.scheduler.pass()
        let replacement = try #require(try await harness.nodes.nodes(ofJob: job.id).last)
        #expect(try await harness.job(job.id).state == .migrating)
        #expect(replacement.replacesNodeId == gang[1].id)
        #expect(replacement.offerId == "vast:b")
    }

    @Test("a refused replacement fails over to the next one in the same pass")
    func replacementFailover() async throws {
        let harness = try await FleetHarness()
        harness.list([
            harness.offer("vast:a", dollars: 5, market: .spot, available: 2),
            harness.offer("vast:b", dollars: 9, market: .onDemand), harness.offer("vast:c", dollars: 12),
        ])
        let job = try await harness.submit(nodes: 2) { $0.dataset = JobSpec.Dataset(uri: "s3://d", shards: 4) }
        await harness.fleet.scheduler.pass()
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        let gang = try await harness.nodes.nodes(ofJob: job.id)
        let rankShards = try await harness.nodes.shards(ofJob: job.id).filter { $0.nodeId == gang[1].id }.map(\.idx)
        harness.providers["vast"]!.refuse("vast:b", with: .insufficientCapacity(scope: .offer, message: "taken"))
        _ = try await harness.nodes.preempt(node: gang[1].id, reason: "notice", at: harness.clock.now)
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.placed == [job.id])
        let nodes = try await harness.nodes.nodes(ofJob: job.id)
        #expect(nodes.suffix(2).map(\.offerId) == ["vast:b", "vast:c"])
        #expect(nodes.suffix(2).map(\.state) == [.failed, .booting])
        // The shards followed the rank through the refused attempt to the node that got it.
        let moved = try await harness.nodes.shards(ofJob: job.id).filter { $0.nodeId == nodes.last?.id }.map(\.idx)
        #expect(moved == rankShards)
        #expect(!rankShards.isEmpty)
    }

    @Test("spend accrues from the launch-time price, not today's")
    func spendSnapshot() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 36)])
        let job = try await harness.submit()
        await harness.fleet.scheduler.pass()
        harness.list([harness.offer("vast:a", dollars: 72)])
        harness.clock.advance(by: 100)
        await harness.fleet.accountant.pass()
        // $36/h for 100 s.
        #expect(try await harness.job(job.id).spend == Money(dollars: 1)!)
        let usage = try await harness.nodes.usage(team: DefaultTeam.id, at: harness.clock.now)
        #expect(usage.spend == Money(dollars: 1)!)
        #expect(usage.providers.map(\.provider) == ["vast"])
        // Usage reads spend up to its moment without writing it: the stored figure waits for the accountant.
        harness.clock.advance(by: 100)
        let later = try await harness.nodes.usage(team: DefaultTeam.id, at: harness.clock.now)
        #expect(later.spend == Money(dollars: 2)!)
        #expect(later.jobs.map(\.burnPerHour) == [Money(dollars: 36)!])
        #expect(try await harness.job(job.id).spend == Money(dollars: 1)!)
    }

    @Test("a job is stopped before it exceeds its budget, with the reason, and its nodes terminated")
    func budgetStop() async throws {
        let harness = try await FleetHarness(
            settings: SchedulerSettings(reconcileInterval: .seconds(30), accountingInterval: .seconds(60)))
        harness.list([harness.offer("vast:a", dollars: 36)])
        // $36/h is $0.01 a second; the guard looks 90 s ahead.
        let job = try await harness.submit { $0.budget = Money(dollars: 10)! }
        await harness.fleet.scheduler.pass()
        harness.clock.advance(by: 900)
        #expect(await harness.fleet.accountant.pass().isEmpty)
        harness.clock.advance(by: 20)
        let stopped = await harness.fleet.accountant.pass()
        #expect(stopped[job.id]?.hasPrefix("stopped before exceeding its budget") == true)
        let failed = try await harness.job(job.id)
        #expect(failed.state == .failed)
        // Billing runs until the provider confirms the node gone, a reconcile interval later at
        // worst; the guard's horizon covers it, so the final bill is still within the budget.
        harness.clock.advance(by: 30)
        await harness.fleet.reconciler.pass()
        #expect(harness.providers["vast"]!.live.isEmpty)
        await harness.fleet.reconciler.pass()
        #expect(try await harness.nodes.nodes(ofJob: job.id).map(\.state) == [.terminated])
        await harness.fleet.accountant.pass()
        let billed = try await harness.job(job.id).spend
        #expect(billed > Money(dollars: 9)!)
        #expect(billed <= Money(dollars: 10)!)
    }
}
