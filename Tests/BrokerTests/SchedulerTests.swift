import BrokerCore
import Foundation
import Providers
import Store
import Testing

@testable import Broker

@Suite("Scheduler: placing, failover, blocking, timeouts")
struct SchedulerTests {
    @Test("a queued gang goes to the cheapest placement; every node is launched, tagged, and booting")
    func placesCheapestGang() async throws {
        let harness = try await FleetHarness()
        harness.list([
            harness.offer("vast:a", dollars: 20, available: 2), harness.offer("aws:b", dollars: 15, available: 2),
        ])
        let job = try await harness.submit(nodes: 2)
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.placed == [job.id])
        #expect(try await harness.job(job.id).state == .provisioning)
        let nodes = try await harness.nodes.nodes(ofJob: job.id)
        #expect(nodes.map(\.state) == [.booting, .booting])
        #expect(nodes.map(\.providerId) == ["aws", "aws"])
        #expect(nodes.allSatisfy { $0.nativeInstanceId != nil && $0.pricePerHour == Money(dollars: 15)! })
        let launches = harness.providers["aws"]!.launches
        #expect(Set(launches.map(\.nodeID)) == Set(nodes.map(\.id)))
        #expect(
            launches.allSatisfy {
                $0.environment["NNODES"] == "2" && $0.command == ["torchrun", "train.py"]
                    && $0.agent
                        == AgentDelivery(brokerURL: "http://127.0.0.1:8080", sha256: String(repeating: "0", count: 64))
            })
        // Each node gets its own agent token, apart from the command's environment; the broker keeps only its hash.
        // It starts with its prefix, never with `-`, so `gridbroker agent --token` takes it as the value.
        for (launch, node) in zip(launches.sorted { $0.nodeID < $1.nodeID }, nodes.sorted { $0.id < $1.id }) {
            #expect(launch.agentToken.hasPrefix("gba_"))
            #expect(!launch.environment.values.contains(launch.agentToken))
            #expect(node.agentTokenHash == AgentToken.hash(launch.agentToken))
            #expect(node.agentTokenHash != launch.agentToken)
        }
    }

    @Test("spot nodes bid the ask plus the margin within the job's cap, and are billed at what they pay")
    func spotBids() async throws {
        let harness = try await FleetHarness(providers: [
            FakeInstanceProvider("vast", spotBidStyle: .bid(marginPPM: 100_000)),
            FakeInstanceProvider("aws", spotBidStyle: .marketPrice(onDemand: Money(dollars: 30)!)),
        ])
        harness.list([harness.offer("vast:a:spot", dollars: 10, market: .spot, available: 2)])
        // Asks 2 × 10 under a cap of 21: each node's share of the headroom is 0.50, under the 10 % margin.
        let capped = try await harness.submit(nodes: 2) { $0.maxPricePerHour = Money(dollars: 21) }
        _ = await harness.fleet.scheduler.pass()
        let nodes = try await harness.nodes.nodes(ofJob: capped.id)
        #expect(nodes.map(\.bid) == [Money(dollars: 10.5), Money(dollars: 10.5)])
        #expect(nodes.allSatisfy { $0.pricePerHour == Money(dollars: 10.5)! }, "Vast charges the bid")
        #expect(harness.providers["vast"]!.launches.map(\.bid) == [Money(dollars: 10.5), Money(dollars: 10.5)])

        // EC2 pays the spot price: no bid while the cap is over the on-demand price.
        harness.list([harness.offer("aws:b:spot", dollars: 8, market: .spot, available: 1)])
        let uncapped = try await harness.submit { $0.maxPricePerHour = Money(dollars: 100) }
        _ = await harness.fleet.scheduler.pass()
        let node = try #require(try await harness.nodes.nodes(ofJob: uncapped.id).first)
        #expect(node.bid == nil && node.pricePerHour == Money(dollars: 8)!)
        #expect(harness.providers["aws"]!.launches.last?.bid == nil)
    }

    @Test("the intent is stored before the provider is called")
    func intentBeforeCall() async throws {
        let seen = SeenStates()
        let harness = try await FleetHarness(providers: [
            FakeInstanceProvider("vast") { request in await seen.record(request.nodeID) }
        ])
        await seen.use(harness.nodes)
        harness.list([harness.offer("vast:a", dollars: 10)])
        try await harness.submit()
        await harness.fleet.scheduler.pass()
        #expect(await seen.states == [.requested])
    }

    @Test("a capacity refusal releases the gang, blocks what it names, and fails over in the same pass")
    func failover() async throws {
        let harness = try await FleetHarness()
        harness.list([
            harness.offer("vast:cheap", dollars: 10, available: 2),
            harness.offer("vast:sibling", dollars: 11, available: 2),
            harness.offer("aws:dear", dollars: 30, available: 2),
        ])
        harness.providers["vast"]!.refuse(
            "vast:cheap", with: .insufficientCapacity(scope: .region, message: "sold out"))
        let job = try await harness.submit(nodes: 2)
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.placed == [job.id])
        let nodes = try await harness.nodes.nodes(ofJob: job.id)
        let current = Scheduler.currentGang(nodes)
        // The region block covers vast:sibling too, so the next placement is on AWS.
        #expect(current.map(\.offerId) == ["aws:dear", "aws:dear"])
        #expect(current.allSatisfy { $0.state == .booting })
        let first = nodes.filter { $0.providerId == "vast" }
        #expect(first.count == 2)
        #expect(first.allSatisfy { $0.state == .failed || $0.state == .terminating })
        #expect(
            harness.fleet.scheduler.blocks.isBlocked(harness.offer("vast:sibling", dollars: 11), at: harness.clock.now))
        #expect(
            !harness.fleet.scheduler.blocks.isBlocked(
                harness.offer("vast:x", dollars: 1, region: "r2"), at: harness.clock.now))
        let timeline = try await harness.jobs.events(ofJob: job.id).map(\.message)
        #expect(timeline.contains { $0.contains("no capacity (region): sold out") })
    }

    @Test("a capacity block outlives a restart: the restarted scheduler does not launch into it")
    func blocksOutliveARestart() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:cheap", dollars: 10), harness.offer("vast:sibling", dollars: 11)])
        harness.providers["vast"]!.refuse(
            "vast:cheap", with: .insufficientCapacity(scope: .region, message: "sold out"))
        let first = try await harness.submit()
        #expect(await harness.fleet.scheduler.pass().waiting[first.id] != nil)

        let restarted = harness.restartedFleet()
        let second = try await harness.submit()
        let pass = await restarted.scheduler.pass()
        #expect(pass.placed.isEmpty)
        #expect(pass.waiting[second.id] != nil)
        #expect(harness.providers["vast"]!.launches.count == 1)
    }

    @Test("a launch the provider rate-limited is sent again, not failed over")
    func rateLimitedLaunchIsRetried() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10), harness.offer("aws:b", dollars: 20)])
        harness.providers["vast"]!.refuseOnce("vast:a", with: .rateLimited(retryAfterSeconds: 0))
        let job = try await harness.submit()
        #expect(await harness.fleet.scheduler.pass().placed == [job.id])
        #expect(try await harness.nodes.nodes(ofJob: job.id).map(\.offerId) == ["vast:a"])
        #expect(harness.providers["vast"]!.launches.count == 2)
    }

    @Test("a job whose launch the team's budget has no room for waits with the reason, and nothing is launched for it")
    func launchesStayWithinTheTeamBudget() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 20, available: 2)])
        // Over the default 90 s spend horizon a $20/h node costs $0.50: room for one, not two.
        _ = try await harness.store.teams.setBudget(
            Money(dollars: 0.8)!, team: DefaultTeam.id)
        let first = try await harness.submit()
        let second = try await harness.submit()
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.placed.count == 1)
        let other = pass.placed == [first.id] ? second : first
        let waiting = try await harness.job(other.id)
        #expect(waiting.state == .queued)
        #expect(
            waiting.reason
                == "team default has no room in its budget for $20.00/h more: it spent $0.00 of $0.80, its nodes cost"
                + " $20.00/h, and with these it would reach $1.00 within 90 s")
        #expect(try await harness.nodes.nodes(ofJob: other.id).isEmpty)
        #expect(harness.providers["vast"]!.launches.count == 1)
    }

    @Test("when nothing fits, the job waits with the reason in numbers, recorded once")
    func waitsWithReason() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 50)])
        let job = try await harness.submit { $0.maxPricePerHour = Money(dollars: 40)! }
        await harness.fleet.scheduler.pass()
        await harness.fleet.scheduler.pass()
        let waiting = try await harness.job(job.id)
        #expect(waiting.state == .queued)
        #expect(waiting.reason?.contains("$50.00/h") == true)
        #expect(try await harness.jobs.events(ofJob: job.id).filter { $0.kind == "job.waiting" }.count == 1)
    }

    @Test("a job waiting under its price cap is placed at the first pass after an offer within it lands")
    func placedOnceTheMarketMeetsItsCap() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 50)])
        let job = try await harness.submit { $0.maxPricePerHour = Money(dollars: 40)! }
        #expect(await harness.fleet.scheduler.pass().waiting[job.id]?.contains("$50.00/h") == true)
        #expect(await harness.fleet.scheduler.pass().waiting[job.id]?.contains("$50.00/h") == true)
        harness.list([harness.offer("vast:a", dollars: 50), harness.offer("vast:b", dollars: 30)])
        #expect(await harness.fleet.scheduler.pass().placed == [job.id])
        #expect(try await harness.nodes.nodes(ofJob: job.id).map(\.offerId) == ["vast:b"])
    }

    @Test("a launch that makes no progress in time is abandoned, its offer blocked, and the job placed elsewhere")
    func launchTimeout() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:slow", dollars: 10), harness.offer("aws:ok", dollars: 20)])
        let job = try await harness.submit()
        await harness.fleet.scheduler.pass()
        harness.clock.advance(by: 299)
        #expect(await harness.fleet.scheduler.pass().released.isEmpty)
        harness.clock.advance(by: 1)
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.released[job.id]?.contains("no progress") == true)
        #expect(pass.placed == [job.id])
        let gang = Scheduler.currentGang(try await harness.nodes.nodes(ofJob: job.id))
        #expect(gang.map(\.offerId) == ["aws:ok"])
        // The reconciler terminates the abandoned instance.
        await harness.fleet.reconciler.pass()
        #expect(harness.providers["vast"]!.live.isEmpty)
    }

    @Test("a node whose provider runs it but whose agent never reports is a failed boot: released, blocked, replaced")
    func failedBoot() async throws {
        let harness = try await FleetHarness(
            settings: SchedulerSettings(defaultLaunchTimeout: .seconds(300), bootTimeout: .seconds(900)))
        harness.list([harness.offer("vast:silent", dollars: 10), harness.offer("aws:ok", dollars: 20)])
        let job = try await harness.submit()
        await harness.fleet.scheduler.pass()
        harness.providers["vast"]!.setAll(.running)
        await harness.fleet.reconciler.pass()
        // Past the launch timeout, but the instance runs: only the boot timeout counts now.
        harness.clock.advance(by: 899)
        #expect(await harness.fleet.scheduler.pass().released.isEmpty)
        harness.clock.advance(by: 1)
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.released[job.id]?.contains("failed boot: its agent never reported within 900 s") == true)
        #expect(pass.placed == [job.id])
        let nodes = try await harness.nodes.nodes(ofJob: job.id)
        #expect(nodes.map(\.offerId) == ["vast:silent", "aws:ok"])
        #expect(nodes.first?.state == .terminating)
        #expect(
            harness.fleet.scheduler.blocks.isBlocked(harness.offer("vast:silent", dollars: 10), at: harness.clock.now))
        let timeline = try await harness.jobs.events(ofJob: job.id).map(\.message)
        #expect(timeline.contains { $0.contains("waiting for its agent") })
        #expect(timeline.contains { $0.contains("failed boot") })
        // Nothing is left billing at the silent provider.
        await harness.fleet.reconciler.pass()
        #expect(harness.providers["vast"]!.live.isEmpty)
    }

    @Test("launches are refused, with the reason on the job, without an agent to deliver or a broker nodes can reach")
    func launchesRefused() async throws {
        let noAgent = try await FleetHarness(agent: nil)
        noAgent.list([noAgent.offer("vast:a", dollars: 10)])
        let first = try await noAgent.submit()
        await noAgent.fleet.scheduler.pass()
        #expect(try await noAgent.job(first.id).reason?.contains("no node agent to deliver") == true)
        #expect(noAgent.providers["vast"]!.live.isEmpty)

        let unreachable = try await FleetHarness(unreachable: ["vast": "nodes on vast could not reach the broker"])
        unreachable.list([unreachable.offer("vast:a", dollars: 10), unreachable.offer("aws:b", dollars: 30)])
        let second = try await unreachable.submit()
        await unreachable.fleet.scheduler.pass()
        let nodes = try await unreachable.nodes.nodes(ofJob: second.id)
        #expect(nodes.map(\.offerId) == ["vast:a", "aws:b"])
        #expect(nodes.first?.reason?.contains("could not reach the broker") == true)
        #expect(unreachable.providers["vast"]!.live.isEmpty)
    }

    @Test("the job starts once every node's agent has reported in, not when the provider says its instances run")
    func starts() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10, available: 2)])
        let job = try await harness.submit(nodes: 2)
        await harness.fleet.scheduler.pass()
        #expect(await harness.fleet.reconciler.pass().inTransition)
        harness.providers["vast"]!.setAll(.running)
        let reconciled = await harness.fleet.reconciler.pass()
        #expect(reconciled.changedNodes)
        let booting = try await harness.nodes.nodes(ofJob: job.id)
        #expect(booting.map(\.state) == [.booting, .booting])
        #expect(booting.allSatisfy { $0.instanceRunningAt == harness.clock.now })
        #expect(await harness.fleet.scheduler.pass().started.isEmpty)
        #expect(try await harness.job(job.id).state == .provisioning)
        try await harness.agentsReport()
        let pass = await harness.fleet.scheduler.pass()
        #expect(pass.started == [job.id])
        #expect(!(await harness.fleet.reconciler.pass().inTransition))
        let running = try await harness.job(job.id)
        #expect(running.state == .running)
        #expect(running.startedAt == harness.clock.now)
    }

    @Test("when the job starts, its shards are handed to its nodes, once")
    func shardsAtStart() async throws {
        let harness = try await FleetHarness()
        harness.list([harness.offer("vast:a", dollars: 10, available: 2)])
        let job = try await harness.submit(nodes: 2) { $0.dataset = JobSpec.Dataset(uri: "s3://data", shards: 9) }
        await harness.fleet.scheduler.pass()
        #expect(try await harness.nodes.shardCounts(ofJob: job.id) == (0, 0))
        try await harness.boot("vast")
        await harness.fleet.scheduler.pass()
        #expect(try await harness.nodes.shardCounts(ofJob: job.id) == (9, 0))
        let shards = try await harness.nodes.shards(ofJob: job.id)
        #expect(shards.map(\.idx) == Array(0..<9))
        #expect(Dictionary(grouping: shards, by: \.nodeId).values.map(\.count).sorted() == [4, 5])
        #expect(shards.allSatisfy { $0.state == .assigned })
    }

    @Test("a deadline that passes while the job waits fails it with the reason")
    func deadlinePasses() async throws {
        let harness = try await FleetHarness()
        let job = try await harness.submit { $0.deadline = harness.clock.now.addingTimeInterval(60) }
        await harness.fleet.scheduler.pass()
        harness.clock.advance(by: 60)
        #expect(await harness.fleet.scheduler.pass().expired == [job.id])
        let failed = try await harness.job(job.id)
        #expect(failed.state == .failed)
        #expect(failed.reason?.contains("deadline") == true)
    }
}

/// Records the state of each node at the moment its launch reaches the provider.
actor SeenStates {
    var states: [NodeState] = []
    var nodes: (any NodeRepository)?

    func use(_ nodes: any NodeRepository) { self.nodes = nodes }

    func record(_ nodeID: String) async {
        if let node = try? await nodes?.node(id: nodeID) { states.append(node.state) }
    }
}
