import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

@Suite("POST /v1/agent/heartbeat")
struct AgentRoutesTests {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    private let dependencies: APIDependencies
    private let database: BrokerDatabase
    private let nodes: SQLiteNodeRepository
    private let token = AgentToken()
    private let jobID: String
    private let nodeID = "node_agent_test"

    /// A 1-node job with 4 shards and a checkpoint location, its node booting with `token`.
    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-agent-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        try await DefaultTeam.ensure(in: SQLiteTeamRepository(database: database), at: Self.now)
        try await SQLiteProviderRepository(database: database).sync([
            ProviderRecord(
                id: "vast", kind: "vast", baseUrl: "http://x", enabled: true, pollIntervalS: 60, offerExpiryS: 300,
                createdAt: Self.now)
        ])
        let spec =
            #"{"name":"t","resources":{"gpu":["H100-SXM"],"gpus_per_node":8,"nodes":1},"image":"i","command":["c"],"dataset":{"uri":"s3://d","shards":4},"checkpoint":{"uri":"s3://ckpt"}}"#
        let job = try await SQLiteJobRepository(database: database).submit(
            JobRecord(id: "job_agent_test", teamId: DefaultTeam.id, name: "t", spec: spec, createdAt: Self.now))
        jobID = job.id
        nodes = SQLiteNodeRepository(database: database)
        var node = NodeRecord(id: nodeID, jobID: jobID, rank: 0, offer: Self.offer, requestedAt: Self.now)
        node.agentTokenHash = token.hash
        _ = try await nodes.beginProvisioning(job: jobID, nodes: [node], at: Self.now)
        _ = try await nodes.recordLaunch(node: nodeID, nativeInstanceID: "7", launchedAt: Self.now, at: Self.now)
        dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: ManualClock(now: Self.now))
    }

    private static let offer = Offer(
        id: OfferID(provider: "vast", native: "1"), gpu: GPUName(resolving: "H100 SXM"), gpuCount: 8, gpuMemoryGB: 80,
        interconnect: nil, vcpus: 1, memoryGB: 1, diskGB: 1, region: "r", country: "US", market: .spot,
        pricePerHour: Money(dollars: 8)!, available: 1, reliability: nil, firstSeenAt: now, lastSeenAt: now, raw: nil)

    private func beat(_ body: String, token: String? = nil) async throws -> (HTTPResponse.Status, String) {
        let app = Application(router: buildRouter(dependencies))
        let headers: HTTPFields = [.authorization: "Bearer \(token ?? self.token.token)"]
        return try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/agent/heartbeat", method: .post, headers: headers, body: ByteBuffer(string: body)
            ) { response in (response.status, String(buffer: response.body)) }
        }
    }

    private func answer(_ text: String) throws -> HeartbeatResponse {
        try JSONDecoder().decode(HeartbeatResponse.self, from: Data(text.utf8))
    }

    @Test("an unknown or missing token is a 401 that changes nothing")
    func unauthorized() async throws {
        let (status, body) = try await beat(#"{"status":"running"}"#, token: "wrong")
        #expect(status == .unauthorized)
        #expect(!body.contains(token.token))
        #expect(try await nodes.node(id: nodeID)?.state == .booting)
    }

    @Test("the first heartbeat starts the node; the answer carries its place and its shards")
    func firstHeartbeat() async throws {
        let (status, body) = try await beat(#"{"status":"starting"}"#)
        #expect(status == .ok)
        #expect(try await nodes.node(id: nodeID)?.state == .running)
        #expect(try answer(body).commands == [], "no node of the job is being reclaimed")
        _ = try await nodes.start(job: jobID, ifRunning: [nodeID], shards: [nodeID: [0, 1, 2, 3]], at: Self.now)
        let second = try answer(try await beat(#"{"status":"running","shards_done":[1]}"#).1)
        #expect(try answer(body).rank == 0)
        #expect(second.shards == [0, 2, 3])
        #expect(second.checkpointUri == "s3://ckpt")
        #expect(second.commands == [])
    }

    @Test("a reported checkpoint is where the job resumes from; the last shard done ends the job and stops the node")
    func checkpointAndSuccess() async throws {
        _ = try await beat(#"{"status":"running"}"#)
        _ = try await nodes.start(job: jobID, ifRunning: [nodeID], shards: [nodeID: [0, 1, 2, 3]], at: Self.now)
        let checkpointed = try answer(
            try await beat(#"{"status":"running","checkpoint":{"uri":"s3://ckpt/step-9","at":"2026-11-21T10:00:00Z"}}"#)
                .1)
        #expect(checkpointed.resumeFrom == "s3://ckpt/step-9")
        let done = try answer(try await beat(#"{"status":"running","shards_done":[0,1,2,3]}"#).1)
        #expect(done.commands == [.stop])
        #expect(try await nodes.shardCounts(ofJob: jobID) == (4, 4))
        #expect(try await nodes.node(id: nodeID)?.state == .terminating)
    }

    @Test("the job list shows the shards the nodes report done, as the job's own page does")
    func listShowsShardsDone() async throws {
        _ = try await beat(#"{"status":"running"}"#)
        _ = try await nodes.start(job: jobID, ifRunning: [nodeID], shards: [nodeID: [0, 1, 2, 3]], at: Self.now)
        _ = try await beat(#"{"status":"running","shards_done":[1,2]}"#)
        let authorization = try await TestToken.issue(database, team: DefaultTeam.id)
        let app = Application(router: buildRouter(dependencies))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let (list, job) = try await app.test(.router) { client in
            let list = try await client.execute(uri: "/v1/jobs", method: .get, headers: authorization) {
                try decoder.decode(JobListResponse.self, from: Data(buffer: $0.body))
            }
            let job = try await client.execute(uri: "/v1/jobs/\(jobID)", method: .get, headers: authorization) {
                try decoder.decode(JobResponse.self, from: Data(buffer: $0.body))
            }
            return (list, job)
        }
        let listed = try #require(list.jobs.first { $0.id == jobID })
        #expect((listed.shards.total, listed.shards.done) == (4, 2))
        #expect((job.shards.total, job.shards.done) == (4, 2))
    }

    @Test("the address rank 0's agent reports is the gang's master_addr; null before it reports one")
    func masterAddress() async throws {
        #expect(try answer(try await beat(#"{"status":"starting"}"#).1).masterAddr == nil)
        let reply = try answer(try await beat(#"{"status":"running","address":"10.0.0.7"}"#).1)
        #expect(reply.masterAddr == "10.0.0.7")
        // A later heartbeat without the address keeps the one reported.
        #expect(try answer(try await beat(#"{"status":"running"}"#).1).masterAddr == "10.0.0.7")
    }

    @Test("a command that exits with an error fails the job")
    func commandFails() async throws {
        _ = try await beat(#"{"status":"running"}"#)
        _ = try await nodes.start(job: jobID, ifRunning: [nodeID], shards: [nodeID: [0, 1, 2, 3]], at: Self.now)
        let reply = try answer(try await beat(#"{"status":"exited","exit_code":3}"#).1)
        #expect(reply.commands == [.stop])
        let events = try await SQLiteJobRepository(database: database).events(ofJob: jobID)
        #expect(events.contains { $0.message == "node 0's command exited with code 3" })
    }

    @Test("a node the broker stopped may exit by its signal (143) without failing the job")
    func stoppedNodeExitsWithoutFailingTheJob() async throws {
        _ = try await beat(#"{"status":"running"}"#)
        _ = try await nodes.start(job: jobID, ifRunning: [nodeID], shards: [nodeID: [0, 1, 2, 3]], at: Self.now)
        _ = try await nodes.terminate(node: nodeID, reason: "operator", at: Self.now)
        let reply = try answer(try await beat(#"{"status":"exited","exit_code":143}"#).1)
        #expect(reply.commands == [.stop])
        let job = try await SQLiteJobRepository(database: database).job(id: jobID)
        #expect(job?.state == .migrating)
    }

    @Test("a survivor whose peer was reclaimed may exit with an error mid-migration without failing the job")
    func survivorExitsDuringMigration() async throws {
        // A second rank, booting beside the first.
        let peerToken = AgentToken()
        var peer = NodeRecord(id: "node_agent_peer", jobID: jobID, rank: 1, offer: Self.offer, requestedAt: Self.now)
        peer.agentTokenHash = peerToken.hash
        try await database.pool.write { [peer] db in try peer.insert(db) }
        _ = try await nodes.recordLaunch(node: peer.id, nativeInstanceID: "8", launchedAt: Self.now, at: Self.now)
        _ = try await beat(#"{"status":"running"}"#)
        _ = try await beat(#"{"status":"running"}"#, token: peerToken.token)
        _ = try await nodes.start(
            job: jobID, ifRunning: [nodeID, peer.id], shards: [nodeID: [0, 1], peer.id: [2, 3]], at: Self.now)
        _ = try await nodes.preempt(node: peer.id, reason: "spot interruption notice", at: Self.now)
        // Rank 0's torchrun loses its peer and exits 1: the job migrates on, it does not fail.
        _ = try await beat(#"{"status":"exited","exit_code":1}"#)
        let job = try await SQLiteJobRepository(database: database).job(id: jobID)
        #expect(job?.state == .migrating)
    }

    @Test(
        "a malformed heartbeat is a 400 naming the field, and changes nothing",
        arguments: [
            (#"{"shards_done":[1]}"#, "status"), (#"{"status":"dancing"}"#, "status"),
            (#"{"status":"running","shards_done":"all"}"#, "shards_done"), ("not json", ""),
            (#"{"status":"running","address":"10.0.0.7; rm -rf /"}"#, "address"),
            // Foundation's decoder does not say where a number out of range is.
            (#"{"status":"exited","exit_code":1e400}"#, ""),
            (#"{"status":"running","shards_done":[99999999999999999999999]}"#, ""),
        ])
    func malformed(body: String, field: String) async throws {
        let (status, text) = try await beat(body)
        #expect(status == .badRequest)
        #expect(text.contains(#""field":"\#(field)""#))
        #expect(try await nodes.node(id: nodeID)?.state == .booting)
    }
}
