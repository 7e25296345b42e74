import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Nodes on every backend: a job's gang from intent to end, its losses, its spend")
struct NodeRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    /// Provider `vast`, team `team_1` and the queued job `job_1`, provisioning `count` nodes
    /// (`node_0`…, agent tokens `agent_0`…) of 8 × H100 at $16/h; returns the nodes.
    private func provisioning(_ store: BrokerStore, count: Int = 2) async throws -> [NodeRecord] {
        try await store.providers.sync([ContractFixtures.vast(at: start)])
        _ = try await store.teams.create(
            TeamRecord(id: "team_1", name: "vision", budget: Money(dollars: 100), createdAt: start))
        _ = try await store.jobs.submit(
            JobRecord(id: "job_1", teamId: "team_1", name: "llama", spec: #"{"name":"llama"}"#, createdAt: start))
        let offer = ContractFixtures.h100("m1", at: start)
        let nodes = (0..<count).map { rank in
            var node = NodeRecord(id: "node_\(rank)", jobID: "job_1", rank: rank, offer: offer, requestedAt: start)
            node.agentTokenHash = "agent_\(rank)"
            return node
        }
        _ = try await store.nodes.beginProvisioning(job: "job_1", nodes: nodes, at: start)
        return nodes
    }

    /// Launches, boots and starts every node (first heartbeats), and starts the job with shards
    /// 0-1 on node_0 and 2-3 on node_1.
    private func running(_ store: BrokerStore) async throws -> [NodeRecord] {
        let nodes = try await provisioning(store)
        for node in nodes {
            _ = try await store.nodes.recordLaunch(
                node: node.id, nativeInstanceID: "i-\(node.rank)", launchedAt: start, at: start)
            try await store.nodes.noteInstanceRunning(node: node.id, at: at(30))
            _ = try await store.nodes.recordHeartbeat(
                Heartbeat(status: .starting, address: "10.0.0.\(node.rank)"), node: node.id, at: at(60))
        }
        #expect(
            try await store.nodes.start(
                job: "job_1", ifRunning: ["node_0", "node_1"], shards: ["node_0": [0, 1], "node_1": [2, 3]],
                at: at(61)))
        return nodes
    }

    @Test(arguments: StoreBackend.available)
    func aGangRunsItsShardsAndTheJobSucceedsWhenTheLastIsDone(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await running(store)
            #expect(try await store.jobs.job(id: "job_1")?.state == .running)
            #expect(try await store.nodes.shardCounts(ofJob: "job_1") == (4, 0))
            #expect(try await store.nodes.node(agentTokenHash: "agent_1")?.id == "node_1")

            let first = try await store.nodes.recordHeartbeat(
                Heartbeat(status: .running, shardsDone: [0, 2], checkpointURI: "s3://ckpt/1", checkpointAt: at(100)),
                node: "node_1", at: at(120))
            // Only the node's own shards count: shard 0 is node_0's.
            #expect(first.assignedShards == [3])
            #expect(first.masterAddress == "10.0.0.0")
            #expect(first.nodesInJob == 2)
            #expect(try await store.nodes.shardCounts(ofJob: "job_1") == (4, 1))
            #expect(try await store.jobs.job(id: "job_1")?.lastCheckpointUri == "s3://ckpt/1")

            _ = try await store.nodes.recordHeartbeat(
                Heartbeat(status: .running, shardsDone: [0, 1]), node: "node_0", at: at(130))
            let last = try await store.nodes.recordHeartbeat(
                Heartbeat(status: .running, shardsDone: [3]), node: "node_1", at: at(140))
            #expect(last.job.state == .succeeded)
            #expect(last.terminating.map(\.id) == ["node_0", "node_1"])
            #expect(try await store.nodes.liveNodes(provider: "vast").map(\.state) == [.terminating, .terminating])
            let kinds = try await store.jobs.events(ofJob: "job_1").map(\.kind)
            #expect(kinds.filter { $0 == "job.checkpoint" }.count == 1)
            #expect(kinds.last == "node.state")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aReclaimedNodeIsReplacedWithItsShardsAndTheJobResumes(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let nodes = try await running(store)
            _ = try await store.nodes.recordHeartbeat(
                Heartbeat(status: .running, shardsDone: [2], checkpointURI: "s3://ckpt/2", checkpointAt: at(200)),
                node: "node_1", at: at(210))
            let preempted = try await store.nodes.preempt(node: "node_1", reason: "spot reclaimed", at: at(300))
            #expect(preempted.state == .preempting)
            #expect(try await store.jobs.job(id: "job_1")?.state == .migrating)

            var replacement = nodes[1]
            replacement.id = "node_1b"
            replacement.agentTokenHash = "agent_1b"
            replacement.requestedAt = at(310)
            replacement.replacesNodeId = "node_1"
            try await store.nodes.beginReplacement(job: "job_1", nodes: [replacement], at: at(310))
            let shards = try await store.nodes.shards(ofJob: "job_1")
            #expect(shards.filter { $0.nodeId == "node_1b" }.map(\.idx) == [3])
            #expect(shards.first { $0.idx == 3 }?.attempts == 2)
            #expect(try await store.nodes.nodes(ofJob: "job_1").map(\.id) == ["node_0", "node_1", "node_1b"])

            _ = try await store.nodes.recordLaunch(
                node: "node_1b", nativeInstanceID: "i-1b", launchedAt: at(320), at: at(320))
            _ = try await store.nodes.recordHeartbeat(Heartbeat(status: .starting), node: "node_1b", at: at(330))
            let (job, terminating) = try await store.nodes.resume(job: "job_1", at: at(340))
            #expect(job.state == .running)
            #expect(terminating.map(\.id) == ["node_1"])
            #expect(job.reason?.contains("s3://ckpt/2") == true)
        }
    }

    @Test(arguments: StoreBackend.available)
    func spendAccruesFromLaunchAtTheLaunchPriceUpToTheTeam(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await running(store)
            try await store.nodes.accrueSpend(at: at(1800))
            // Two nodes at $16/h for half an hour.
            #expect(try await store.nodes.node(id: "node_0")?.spend == Money(dollars: 8))
            #expect(try await store.jobs.job(id: "job_1")?.spend == Money(dollars: 16))
            #expect(try await store.teams.team(id: "team_1")?.spend == Money(dollars: 16))
            let usage = try await store.nodes.usage(team: "team_1", at: at(3600))
            #expect(usage.spend == Money(dollars: 32))
            #expect(usage.jobs.map(\.burnPerHour) == [Money(dollars: 32)])
            #expect(usage.providers.map(\.nodes) == [2])
            await #expect(throws: StoreError.notFound(entity: "team", id: "team_x")) {
                try await store.nodes.usage(team: "team_x", at: start)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func missesAreKeptFromTheFirstAndListsPageNewestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await provisioning(store, count: 3)
            try await store.nodes.recordMissing(["node_0", "node_1"], foundAgain: [], at: at(10))
            try await store.nodes.recordMissing(["node_0"], foundAgain: ["node_1"], at: at(20))
            #expect(try await store.nodes.node(id: "node_0")?.missingSince == at(10))
            #expect(try await store.nodes.node(id: "node_1")?.missingSince == nil)
            #expect(try await store.nodes.knownNodeIDs(among: ["node_2", "node_9"]) == ["node_2"])
            let page = try await store.nodes.list(states: [.requested], provider: "vast", limit: 2, after: nil)
            #expect(page.map(\.id) == ["node_2", "node_1"])
            #expect(
                try await store.nodes.list(states: nil, provider: nil, limit: 5, after: "node_1").map(\.id) == [
                    "node_0"
                ])
            let released = try await store.nodes.releaseGang(ofJob: "job_1", reason: "no capacity", at: at(30))
            #expect(released.count == 3)
            #expect(try await store.jobs.job(id: "job_1")?.state == .queued)
        }
    }

    @Test(arguments: StoreBackend.available)
    func twoBrokersReportingTheLastShardsAtOnceEndTheJobOnce(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            let first = try await open()
            _ = try await running(first)
            let second = try await open()
            async let a = first.nodes.recordHeartbeat(
                Heartbeat(status: .running, shardsDone: [0, 1]), node: "node_0", at: at(100))
            async let b = second.nodes.recordHeartbeat(
                Heartbeat(status: .running, shardsDone: [2, 3]), node: "node_1", at: at(100))
            _ = try await (a, b)
            #expect(try await first.jobs.job(id: "job_1")?.state == .succeeded)
            let ends = try await first.jobs.events(ofJob: "job_1").filter { $0.toState == "succeeded" }
            #expect(ends.count == 1)
        }
    }
}
