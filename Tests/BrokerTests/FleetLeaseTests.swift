import BrokerCore
import Foundation
import Store
import Testing

@testable import Broker

/// Two brokers ("a", the harness's fleet, and "b") on one PostgreSQL database, on one clock: the
/// reconciler's and the accountant's passes read and write under their leases.
@Suite(
    "Reconciling and accounting under their leases: a pass that outlived its lease lands nothing",
    .enabled(if: TestPostgres.url != nil))
struct FleetLeaseTests {
    @Test func anAccountingPassThatOutlivedItsLeaseStopsNothingAndTheNewHolderStopsTheJob() async throws {
        try await TestPostgres.withStore { store in
            let harness = try await FleetHarness(
                settings: SchedulerSettings(reconcileInterval: .seconds(30), accountingInterval: .seconds(60)),
                store: store)
            harness.list([harness.offer("vast:a", dollars: 36)])
            // $36/h is $0.01 a second; with a $10 budget, the guard stops the job from about 910 s.
            let job = try await harness.submit { $0.budget = Money(dollars: 10)! }
            await harness.fleet.scheduler.pass()
            #expect(await harness.fleet.accountant.passIfHeld() == [:])

            // a's accounts lease (30 s) was not renewed since: its pass, late, stops nothing.
            harness.clock.advance(by: 920)
            #expect(await harness.fleet.accountant.pass().isEmpty)
            #expect(try await harness.job(job.id).state == .provisioning)

            let other = harness.restartedFleet(as: "b")
            let stopped = try #require(await other.accountant.passIfHeld())
            #expect(stopped[job.id]?.hasPrefix("stopped before exceeding its budget") == true)
            #expect(try await harness.job(job.id).state == .failed)
            #expect(await harness.fleet.accountant.passIfHeld() == nil)
        }
    }

    @Test func aReconcilePassThatLostItsLeaseMeanwhileTerminatesNothingAndTheNewHolderCleansUp() async throws {
        try await TestPostgres.withStore { store in
            let harness = try await FleetHarness(store: store)
            let node = try await harness.terminatedNode()
            let aws = harness.providers["aws"]!
            let leaked = aws.plant(nodeID: node.id, status: .running)

            // While aws answers a's listing, a's lease on reconciling aws runs out and b takes it.
            let leases = try #require(store.leases)
            aws.duringNextListing { [clock = harness.clock] in
                clock.advance(by: 31)
                _ = try? await leases.take(
                    "reconcile:aws", owner: "b", until: clock.now.addingTimeInterval(30), now: clock.now)
            }
            let late = await harness.fleet.reconciler.pass()
            #expect(late.actions["aws"] == nil)
            #expect(aws.live.map(\.nativeID) == [leaked])

            let other = harness.restartedFleet(as: "b")
            let pass = await other.reconciler.pass()
            #expect(pass.actions["aws"]?.map(\.action) == [.terminateOrphan(nativeID: leaked, nodeID: node.id)])
            #expect(aws.live.isEmpty)
            // Reconciling aws is b's now: a leaves it alone.
            let again = aws.plant(nodeID: node.id, status: .running)
            #expect(await harness.fleet.reconciler.pass().actions["aws"] == nil)
            #expect(aws.live.map(\.nativeID) == [again])
        }
    }
}
