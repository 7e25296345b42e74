import BrokerCore
import Foundation
import Testing

@Suite("Capacity blocklist")
struct CapacityBlocklistTests {
    let now = MatchingFixtures.now
    let offer = MatchingFixtures.offer("vast:1", dollars: 10, region: "r1")
    let sibling = MatchingFixtures.offer("vast:2", dollars: 10, region: "r1")
    let elsewhere = MatchingFixtures.offer("vast:3", dollars: 10, region: "r2")
    let otherProvider = MatchingFixtures.offer("aws:1", dollars: 10, region: "r1")

    @Test("an offer block covers that offer only, until it ends")
    func offerScope() {
        var list = CapacityBlocklist(durations: .init(offer: .seconds(60)))
        list.block(.offer, of: offer, now: now)
        #expect(list.isBlocked(offer, at: now.addingTimeInterval(59)))
        #expect(!list.isBlocked(offer, at: now.addingTimeInterval(60)))
        #expect(!list.isBlocked(sibling, at: now))
    }

    @Test("a region block covers the provider's offers in that region, not elsewhere or other providers")
    func regionScope() {
        var list = CapacityBlocklist()
        list.block(.region, of: offer, now: now)
        #expect(list.isBlocked(sibling, at: now))
        #expect(!list.isBlocked(elsewhere, at: now))
        #expect(!list.isBlocked(otherProvider, at: now))
    }

    @Test("a provider block covers all of that provider's offers")
    func providerScope() {
        var list = CapacityBlocklist()
        list.block(.provider, of: offer, now: now)
        #expect(list.isBlocked(elsewhere, at: now))
        #expect(!list.isBlocked(otherProvider, at: now))
    }

    @Test("a new block never shortens a longer one; prune forgets ended blocks")
    func extendAndPrune() {
        var list = CapacityBlocklist(durations: .init(offer: .seconds(100)))
        list.block(.offer, of: offer, now: now)
        let second = list.block(.offer, of: offer, now: now.addingTimeInterval(-50))
        #expect(second.until == now.addingTimeInterval(100))
        list.prune(now: now.addingTimeInterval(100))
        #expect(list.isEmpty(at: now))
    }
}

@Suite("Gang launch check")
struct GangLaunchCheckTests {
    let now = MatchingFixtures.now

    func node(
        _ rank: Int, _ state: NodeState, requestedSecondsAgo: Double = 10, provider: String = "vast",
        runningSecondsAgo: Double? = nil
    ) -> NodeView {
        NodeView(
            id: "node_\(rank)", jobID: "job_1", rank: rank, providerID: provider, state: state,
            nativeInstanceID: state == .requested ? nil : "i-\(rank)",
            requestedAt: now.addingTimeInterval(-requestedSecondsAgo), launchedAt: nil,
            instanceRunningAt: runningSecondsAgo.map { now.addingTimeInterval(-$0) })
    }

    func decide(_ nodes: [NodeView]) -> GangLaunchCheck.Decision {
        GangLaunchCheck.decide(
            nodes: nodes, now: now, timeout: { $0 == "slow" ? .seconds(600) : .seconds(60) },
            bootTimeout: .seconds(900))
    }

    @Test("waits while nodes boot, starts when every node runs (its agent reported in)")
    func waitThenStart() {
        #expect(decide([node(0, .running), node(1, .booting)]) == .wait)
        #expect(decide([node(0, .running), node(1, .booting, runningSecondsAgo: 30)]) == .wait)
        #expect(decide([node(0, .running), node(1, .running)]) == .start)
    }

    @Test("an instance the provider runs whose agent never reports is a failed boot once the boot timeout passed")
    func failedBoot() {
        // The launch timeout no longer counts once the provider runs the instance: the boot timeout does.
        let running = node(1, .booting, requestedSecondsAgo: 1_000, runningSecondsAgo: 899)
        #expect(decide([node(0, .running), running]) == .wait)
        let silent = node(1, .booting, requestedSecondsAgo: 1_000, runningSecondsAgo: 900)
        #expect(
            decide([node(0, .running), silent])
                == .release(
                    reason: "node 1 (vast): failed boot: its agent never reported within 900 s of the instance running",
                    stuck: ["node_1"]))
    }

    @Test("a failed or vanished node releases the gang")
    func lostNode() {
        guard case .release(let reason, let stuck) = decide([node(0, .running), node(1, .failed)]) else {
            Issue.record("expected release")
            return
        }
        #expect(reason.contains("node 1"))
        #expect(stuck.isEmpty)
        guard case .release = decide([node(0, .terminated), node(1, .running)]) else {
            Issue.record("expected release")
            return
        }
    }

    @Test("a launch past its provider's timeout is abandoned, and only that provider's timeout counts")
    func timeout() {
        let decision = decide([node(0, .running), node(1, .booting, requestedSecondsAgo: 61)])
        #expect(decision == .release(reason: "node 1 (vast): its launch made no progress in 60 s", stuck: ["node_1"]))
        #expect(decide([node(0, .booting, requestedSecondsAgo: 300, provider: "slow")]) == .wait)
    }
}

@Suite("Reconciliation")
struct ReconciliationTests {
    let now = MatchingFixtures.now

    func node(_ id: String, _ state: NodeState, native: String?, requestedSecondsAgo: Double = 10) -> NodeView {
        NodeView(
            id: id, jobID: "job_1", rank: 0, providerID: "vast", state: state, nativeInstanceID: native,
            requestedAt: now.addingTimeInterval(-requestedSecondsAgo), launchedAt: nil)
    }

    /// Every tagged node id known to the database unless `known` says otherwise.
    func plan(
        _ nodes: [NodeView], _ instances: [InstanceSighting], known: Set<String>? = nil,
        previouslyMissing: Set<String> = []
    ) -> [ReconcileAction] {
        Reconciliation.plan(
            .init(
                nodes: nodes, instances: instances, knownNodeIDs: known ?? Set(instances.map(\.nodeID)),
                previouslyMissing: previouslyMissing, listedAt: now, launchTimeout: .seconds(300)))
    }

    @Test("an instance tagged with a node id this database never wrote is another broker's: left alone")
    func foreign() {
        #expect(plan([], [.init(nativeID: "7", nodeID: "node_theirs", status: .running)], known: []) == [])
    }

    @Test("a tagged instance with no live node is terminated; gone instances are ignored")
    func orphan() {
        let actions = plan(
            [],
            [
                .init(nativeID: "7", nodeID: "node_x", status: .running),
                .init(nativeID: "8", nodeID: "node_y", status: .gone),
            ])
        #expect(actions == [.terminateOrphan(nativeID: "7", nodeID: "node_x")])
    }

    @Test("a node that never heard back from its launch adopts its instance; a duplicate is terminated")
    func adopt() {
        let actions = plan(
            [node("node_a", .requested, native: nil)],
            [
                .init(nativeID: "2", nodeID: "node_a", status: .pending),
                .init(nativeID: "1", nodeID: "node_a", status: .pending),
            ])
        #expect(
            actions == [.terminateOrphan(nativeID: "2", nodeID: "node_a"), .adopt(nodeID: "node_a", nativeID: "1")])
    }

    @Test("a requested node without an instance fails only after the launch timeout")
    func unlaunched() {
        #expect(plan([node("node_a", .requested, native: nil)], []) == [])
        #expect(
            plan([node("node_a", .requested, native: nil, requestedSecondsAgo: 300)], [])
                == [.failUnlaunched(nodeID: "node_a")])
    }

    @Test(
        "a booting node's instance seen running is noted once (the node runs when its agent reports); missing or stopped twice in a row is vanished"
    )
    func liveNodes() {
        let running = InstanceSighting(nativeID: "1", nodeID: "node_a", status: .running)
        #expect(plan([node("node_a", .booting, native: "1")], [running]) == [.noteInstanceRunning(nodeID: "node_a")])
        var noted = node("node_a", .booting, native: "1")
        noted.instanceRunningAt = now
        #expect(plan([noted], [running]) == [])
        #expect(
            plan([node("node_a", .running, native: "1")], [.init(nativeID: "1", nodeID: "node_a", status: .running)])
                == [])
        #expect(plan([node("node_a", .running, native: "1")], []) == [.noteMissing(nodeID: "node_a")])
        #expect(
            plan([node("node_a", .running, native: "1")], [], previouslyMissing: ["node_a"])
                == [.markVanished(nodeID: "node_a", reason: "the provider no longer lists the instance")])
        let stopped = InstanceSighting(nativeID: "1", nodeID: "node_a", status: .stopping)
        #expect(plan([node("node_a", .running, native: "1")], [stopped]) == [.noteMissing(nodeID: "node_a")])
        #expect(
            plan([node("node_a", .running, native: "1")], [stopped], previouslyMissing: ["node_a"])
                == [.markVanished(nodeID: "node_a", reason: "the provider stopped the instance")])
    }

    @Test("a node whose agent reported and then went silent past the timeout is reclaimed; one without an agent is not")
    func missedHeartbeats() {
        let running = InstanceSighting(nativeID: "1", nodeID: "node_a", status: .running)
        var node = node("node_a", .running, native: "1")
        #expect(plan([node], [running]) == [])
        node.lastHeartbeatAt = now.addingTimeInterval(-299)
        #expect(plan([node], [running]) == [])
        node.lastHeartbeatAt = now.addingTimeInterval(-300)
        #expect(
            plan([node], [running]) == [
                .markVanished(nodeID: "node_a", reason: "no heartbeat from its agent for 300 s")
            ])
    }

    @Test("a just-launched node missing from an eventually consistent listing is given a grace period")
    func listingGrace() {
        var node = node("node_a", .booting, native: "1")
        node.launchedAt = now.addingTimeInterval(-59)
        #expect(plan([node], []) == [])
        node.launchedAt = now.addingTimeInterval(-60)
        #expect(plan([node], []) == [.noteMissing(nodeID: "node_a")])
    }

    @Test("terminating is asked again until the provider agrees the instance is gone")
    func terminating() {
        #expect(
            plan(
                [node("node_a", .terminating, native: "1")], [.init(nativeID: "1", nodeID: "node_a", status: .stopping)]
            )
                == [.terminateAgain(nodeID: "node_a", nativeID: "1")])
        // Not listed any more: asked once more, and agreed gone only if that call works.
        #expect(
            plan([node("node_a", .terminating, native: "1")], [.init(nativeID: "1", nodeID: "node_a", status: .gone)])
                == [.terminateAgain(nodeID: "node_a", nativeID: "1"), .confirmTerminated(nodeID: "node_a")])
        // Cancelled before its launch answered: the listing's lag is waited out first.
        #expect(plan([node("node_b", .terminating, native: nil)], []) == [])
        #expect(
            plan([node("node_b", .terminating, native: nil, requestedSecondsAgo: 60)], [])
                == [.confirmTerminated(nodeID: "node_b")])
    }

    @Test("an instance other than the one the node recorded is an orphan")
    func otherInstance() {
        let actions = plan(
            [node("node_a", .running, native: "1")],
            [
                .init(nativeID: "1", nodeID: "node_a", status: .running),
                .init(nativeID: "9", nodeID: "node_a", status: .running),
            ])
        #expect(actions == [.terminateOrphan(nativeID: "9", nodeID: "node_a")])
    }
}

@Suite("Spend guard")
struct SpendGuardTests {
    func account(spent: Double, burn: Double, budget: Double?) -> SpendGuard.Account {
        .init(
            spent: Money(dollars: spent)!, burnPerHour: Money(dollars: burn)!,
            budget: budget.map { Money(dollars: $0)! })
    }

    @Test("a job stops when the next interval at its burn rate would pass its budget")
    func jobBudget() {
        let team = account(spent: 0, burn: 0, budget: nil)
        // $36/h for 60 s is $0.60.
        #expect(
            SpendGuard.stopReason(
                job: account(spent: 99.40, burn: 36, budget: 100), team: team, teamName: "t", horizon: .seconds(60))
                == nil)
        let reason = SpendGuard.stopReason(
            job: account(spent: 99.41, burn: 36, budget: 100), team: team, teamName: "t", horizon: .seconds(60))
        #expect(reason == "stopped before exceeding its budget: spent $99.41 of $100.00 at $36.00/h")
    }

    @Test("the team's budget stops a job too")
    func teamBudget() {
        let reason = SpendGuard.stopReason(
            job: account(spent: 1, burn: 10, budget: nil), team: account(spent: 50, burn: 10, budget: 50),
            teamName: "ml",
            horizon: .seconds(60))
        #expect(reason?.hasPrefix("stopped before team ml exceeds its budget") == true)
    }

    @Test("accrual runs from launch to the end, exactly, and is zero before launch")
    func accrual() {
        let start = MatchingFixtures.now
        #expect(
            SpendGuard.accrued(price: Money(dollars: 3.6)!, from: start, to: start.addingTimeInterval(10))
                == Money(cents: 1))
        #expect(SpendGuard.accrued(price: Money(dollars: 3.6)!, from: nil, to: start) == .zero)
        #expect(SpendGuard.accrued(price: Money(dollars: 3.6)!, from: start, to: start.addingTimeInterval(-5)) == .zero)
    }
}

@Suite("Identifiers")
struct IdentifierTests {
    @Test("ids carry the prefix, sort by time and differ")
    func ids() {
        let first = Identifier.make("job", at: Date(timeIntervalSince1970: 1_000))
        let second = Identifier.make("job", at: Date(timeIntervalSince1970: 2_000))
        #expect(first.hasPrefix("job_"))
        #expect(first.count == 4 + 26)
        #expect(first < second)
        #expect(Identifier.make("job", at: Date(timeIntervalSince1970: 1_000)) != first)
    }
}

@Suite("Agent commands")
struct AgentCommandTests {
    @Test("a reclaimed node checkpoints; a node going away or a finished job stops; otherwise nothing")
    func commands() {
        #expect(AgentCommand.commands(node: .running, job: .running) == [])
        #expect(AgentCommand.commands(node: .preempting, job: .migrating) == [.checkpoint])
        #expect(AgentCommand.commands(node: .running, job: .migrating, gangPreempting: true) == [.checkpoint])
        #expect(AgentCommand.commands(node: .running, job: .migrating) == [])
        #expect(AgentCommand.commands(node: .terminating, job: .running) == [.stop])
        #expect(AgentCommand.commands(node: .running, job: .succeeded) == [.stop])
        #expect(AgentCommand.commands(node: .terminated, job: .cancelled) == [.stop])
    }
}

@Suite("Migration check")
struct MigrationCheckTests {
    let now = MatchingFixtures.now
    let spotPool = MigrationCheck.Pool(provider: "vast", region: "r1", market: .spot)

    func member(_ rank: Int, _ state: NodeState, secondsAgo: Double = 10, runningSecondsAgo: Double? = nil)
        -> MigrationCheck.Member
    {
        MigrationCheck.Member(
            node: NodeView(
                id: "node_\(rank)", jobID: "job_1", rank: rank, providerID: "vast", state: state,
                nativeInstanceID: "i-\(rank)", requestedAt: now.addingTimeInterval(-secondsAgo), launchedAt: nil,
                instanceRunningAt: runningSecondsAgo.map { now.addingTimeInterval(-$0) }),
            pool: spotPool)
    }

    func decide(_ gang: [MigrationCheck.Member], sameRegion: Bool = true) -> MigrationCheck.Decision {
        MigrationCheck.decide(
            gang: gang, sameRegion: sameRegion, now: now, launchTimeout: .seconds(300), bootTimeout: .seconds(900))
    }

    @Test("one reclaimed node of a gang is replaced beside the survivors, never in the pool that took it")
    func oneNode() {
        #expect(
            decide([member(0, .running), member(1, .terminated)])
                == .replace(ranks: [1], stayIn: spotPool, avoid: [spotPool]))
        #expect(
            decide([member(0, .running), member(1, .preempting)])
                == .replace(ranks: [1], stayIn: spotPool, avoid: [spotPool]))
    }

    @Test("a gang reclaimed whole moves together, anywhere but that pool")
    func wholeGang() {
        #expect(
            decide([member(0, .terminated), member(1, .terminated)])
                == .replace(ranks: [0, 1], stayIn: nil, avoid: [spotPool]))
        #expect(
            decide([member(0, .running), member(1, .terminated)], sameRegion: false)
                == .replace(ranks: [1], stayIn: nil, avoid: [spotPool]))
    }

    @Test("replacements on their way are waited for, until their launch timeout; all running resumes")
    func waitAndResume() {
        #expect(decide([member(0, .running), member(1, .booting)]) == .wait)
        #expect(
            decide([member(0, .running), member(1, .booting, secondsAgo: 300)])
                == .replace(
                    ranks: [1], stayIn: spotPool, avoid: [spotPool],
                    stalled: ["node_1": "its launch made no progress in 300 s"]))
        #expect(decide([member(0, .running), member(1, .running)]) == .resume)
    }

    @Test("a replacement whose agent never reports after its instance runs is given up after the boot timeout")
    func failedBootOfAReplacement() {
        #expect(decide([member(0, .running), member(1, .booting, secondsAgo: 2_000, runningSecondsAgo: 100)]) == .wait)
        #expect(
            decide([member(0, .running), member(1, .booting, secondsAgo: 2_000, runningSecondsAgo: 900)])
                == .replace(
                    ranks: [1], stayIn: spotPool, avoid: [spotPool],
                    stalled: ["node_1": "failed boot: its agent never reported within 900 s of the instance running"]))
    }
}
