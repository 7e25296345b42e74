import Broker
import BrokerCore
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

@Suite("Provider webhooks: signed, deduplicated interruption notices")
struct WebhookRoutesTests {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    private static let key = SymmetricKey(data: Array("gridbroker test webhook key 0001".utf8))
    private let database: BrokerDatabase
    private let nodes: SQLiteNodeRepository

    private static let interruption = """
        {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602",
         "detail-type": "EC2 Spot Instance Interruption Warning", "source": "aws.ec2", "account": "123456789012",
         "time": "2026-11-18T11:06:40Z", "region": "us-east-2",
         "resources": ["arn:aws:ec2:us-east-2a:instance/i-0aaa"],
         "detail": {"instance-id": "i-0aaa", "instance-action": "terminate"}}
        """

    /// Provider `aws` with job `job_1`, whose node `node_0` runs on instance `us-east-2/i-0aaa`.
    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-webhooks-api-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        nodes = SQLiteNodeRepository(database: database)
        try await SQLiteProviderRepository(database: database).sync([
            ProviderRecord(
                id: "aws", kind: "aws", baseUrl: "http://127.0.0.1:9400/aws", enabled: true, pollIntervalS: 60,
                offerExpiryS: 300, createdAt: Self.now)
        ])
        try await DefaultTeam.ensure(in: SQLiteTeamRepository(database: database), at: Self.now)
        _ = try await SQLiteJobRepository(database: database).submit(
            JobRecord(id: "job_1", teamId: DefaultTeam.id, name: "lora", spec: #"{"name":"lora"}"#, createdAt: Self.now)
        )
        let offer = Offer(
            id: OfferID(provider: "aws", native: "us-east-2/g6.xlarge/spot"), gpu: GPUName(resolving: "L4"),
            gpuCount: 1, gpuMemoryGB: 24, interconnect: nil, vcpus: 4, memoryGB: 16, diskGB: 0, region: "us-east-2",
            country: "US", market: .spot, pricePerHour: Money(dollars: 0.3)!, available: 1, reliability: nil,
            firstSeenAt: Self.now, lastSeenAt: Self.now, raw: nil)
        _ = try await nodes.beginProvisioning(
            job: "job_1",
            nodes: [NodeRecord(id: "node_0", jobID: "job_1", rank: 0, offer: offer, requestedAt: Self.now)],
            at: Self.now)
        _ = try await nodes.recordLaunch(
            node: "node_0", nativeInstanceID: "us-east-2/i-0aaa", launchedAt: Self.now, at: Self.now)
        _ = try await nodes.apply(.start, toNode: "node_0", reason: nil, at: Self.now)
    }

    private struct Reply {
        var status: HTTPResponse.Status
        var body: String
        var contentType: String?
    }

    /// Posts `body` to `/v1/webhooks/<provider>`, signed with `key` at `signedAt` unless `headers`
    /// are given.
    private func post(
        _ body: String, provider: String = "aws", id: String = "msg_1", signedAt: Date = now, key: SymmetricKey = key,
        headers: HTTPFields? = nil, verifier: WebhookVerifier? = WebhookVerifier(keys: [key])
    ) async throws -> Reply {
        let timestamp = String(Int(signedAt.timeIntervalSince1970))
        let signed: HTTPFields = [
            .init("webhook-id")!: id, .init("webhook-timestamp")!: timestamp,
            .init("webhook-signature")!: WebhookVerifier.signature(
                id: id, timestamp: timestamp, body: Array(body.utf8), key: key),
        ]
        let dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: ManualClock(now: Self.now),
            webhookVerifier: verifier)
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/webhooks/\(provider)", method: .post, headers: headers ?? signed,
                body: ByteBuffer(string: body)
            ) { response in
                Reply(
                    status: response.status, body: String(buffer: response.body),
                    contentType: response.headers[.contentType])
            }
        }
    }

    private func nodeState() async throws -> NodeState? {
        try await nodes.node(id: "node_0")?.state
    }

    private func notices() async throws -> Int {
        try await SQLiteJobRepository(database: database).events(ofJob: "job_1").filter { $0.kind == "node.notice" }
            .count
    }

    /// Asserts a refusal left everything as it was: the node running, no notice, and the delivery
    /// id still unused (a good delivery under it is accepted).
    private func expectUnchanged() async throws {
        #expect(try await nodeState() == .running)
        #expect(try await notices() == 0)
        #expect(try await post(Self.interruption).body.contains(#""status":"accepted""#))
    }

    @Test("a signed interruption moves the running node to preempting and names the notice on the timeline")
    func accepted() async throws {
        let reply = try await post(Self.interruption)
        #expect(reply.status == .ok)
        #expect(reply.body.contains(#""status":"accepted""#))
        #expect(reply.body.contains(#""node_id":"node_0""#))
        #expect(reply.body.contains(#""node_state":"preempting""#))
        #expect(reply.body.contains(#""not_before":"2026-11-18T11:08:40Z""#))
        #expect(try await nodeState() == .preempting)
        let timeline = try await SQLiteJobRepository(database: database).events(ofJob: "job_1")
        #expect(
            timeline.contains {
                $0.kind == "node.notice" && $0.message.contains("EC2 Spot Instance Interruption Warning")
            })
        #expect(timeline.last?.toState == "preempting")
    }

    @Test("a repeated webhook-id answers duplicate and changes nothing")
    func duplicate() async throws {
        _ = try await post(Self.interruption)
        let eventsBefore = try await SQLiteJobRepository(database: database).events(ofJob: "job_1").count
        let again = try await post(Self.interruption)
        #expect(again.status == .ok)
        #expect(again.body == #"{"status":"duplicate"}"#)
        #expect(try await SQLiteJobRepository(database: database).events(ofJob: "job_1").count == eventsBefore)
    }

    @Test("a signature by another key, or missing headers, is a 401 problem that changes nothing")
    func badSignature() async throws {
        let forged = try await post(Self.interruption, key: SymmetricKey(data: Array(repeating: UInt8(1), count: 32)))
        #expect(forged.status == .unauthorized)
        #expect(forged.contentType == "application/problem+json")
        #expect(forged.body.contains("no v1 signature"))
        // The refusal names what is wrong, never the secret or the signature it expected.
        let expected = WebhookVerifier.signature(
            id: "msg_1", timestamp: String(Int(Self.now.timeIntervalSince1970)), body: Array(Self.interruption.utf8),
            key: Self.key)
        #expect(!forged.body.contains("gridbroker test webhook key") && !forged.body.contains(expected.dropFirst(3)))
        let unsigned = try await post(Self.interruption, headers: [:])
        #expect(unsigned.status == .unauthorized)
        #expect(unsigned.body.contains("webhook-id header is missing"))
        try await expectUnchanged()
    }

    @Test("a timestamp more than five minutes away is a 401 that changes nothing")
    func stale() async throws {
        let reply = try await post(Self.interruption, signedAt: Self.now.addingTimeInterval(-301))
        #expect(reply.status == .unauthorized)
        #expect(reply.body.contains("301 s old"))
        try await expectUnchanged()
    }

    @Test("a signed body that is no notice is a 400 that changes nothing")
    func malformed() async throws {
        let reply = try await post(#"{"instance_id": "i-0aaa", "action": "explode"}"#)
        #expect(reply.status == .badRequest)
        #expect(reply.body.contains("is not one of interruption, rebalance, preempt"))
        try await expectUnchanged()
    }

    @Test("a notice for an instance no node has is a 422 that changes nothing")
    func unknownInstance() async throws {
        let reply = try await post(Self.interruption.replacingOccurrences(of: "i-0aaa", with: "i-0zzz"))
        #expect(reply.status == .unprocessableContent)
        #expect(reply.body.contains("no node of provider aws has instance i-0zzz"))
        try await expectUnchanged()
    }

    @Test("an unknown provider is a 404")
    func unknownProvider() async throws {
        let reply = try await post(Self.interruption, provider: "azure")
        #expect(reply.status == .notFound)
        #expect(reply.body.contains("provider azure is not configured"))
        try await expectUnchanged()
    }

    @Test("a valid document without a notice is ignored; a rebalance is recorded without a state change")
    func withoutStateChange() async throws {
        let empty = try await post(#"{"DocumentIncarnation": 1, "Events": []}"#, id: "msg_0")
        #expect(empty.body == #"{"status":"ignored"}"#)
        let rebalance = try await post(#"{"instance_id": "i-0aaa", "action": "rebalance"}"#, id: "msg_2")
        #expect(rebalance.body.contains(#""node_state":"running""#))
        #expect(try await nodeState() == .running)
        #expect(try await notices() == 1)
    }

    @Test("without a configured secret every delivery is a 503, even a well-signed one")
    func notConfigured() async throws {
        let reply = try await post(Self.interruption, verifier: nil)
        #expect(reply.status == .serviceUnavailable)
        #expect(reply.body.contains("webhooks are not configured"))
        try await expectUnchanged()
    }
}
