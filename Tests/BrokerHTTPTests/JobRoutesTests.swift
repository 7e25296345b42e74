import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Synchronization
import Testing

@testable import BrokerHTTP

@Suite("Jobs API: submit, list, show, timeline, cancel, usage")
struct JobRoutesTests {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    private let dependencies: APIDependencies
    /// The `Authorization` header of a token the requests carry.
    private let authorization: HTTPFields
    private let submitted = Counter()
    private static let spec =
        #"{"name": "lora", "resources": {"gpu": ["H100"], "gpus_per_node": 8, "nodes": 2}, "image": "img", "command": ["train"], "budget_usd": 900}"#

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-jobs-api-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        try await DefaultTeam.ensure(in: SQLiteTeamRepository(database: database), at: Self.now)
        let counter = submitted
        dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: ManualClock(now: Self.now),
            fleet: FleetSignals(jobSubmitted: { counter.value.add(1, ordering: .relaxed) }, jobEnded: {}))
        authorization = try await TestToken.issue(database, team: DefaultTeam.id)
    }

    private struct Reply: Sendable {
        var status: HTTPResponse.Status
        var json: [String: any Sendable]
        var contentType: String?
    }

    private func call(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:])
        async throws -> Reply
    {
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(
                uri: uri, method: method, headers: authorization + headers, body: body.map { ByteBuffer(string: $0) }
            ) { response in
                let object =
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
                return Reply(
                    status: response.status,
                    json: object.mapValues { "\($0)" as any Sendable }.merging(
                        ["_raw": String(buffer: response.body)], uniquingKeysWith: { first, _ in first }),
                    contentType: response.headers[.contentType])
            }
        }
    }

    private func submit(key: String? = nil, body: String = spec) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let key { headers[.init("Idempotency-Key")!] = key }
        return try await call(.post, "/v1/jobs", body: body, headers: headers)
    }

    @Test("a submitted job is 201, queued, with its spec, and the scheduler is woken")
    func submitQueues() async throws {
        let reply = try await submit(key: nil)
        #expect(reply.status == .created)
        #expect(reply.json["state"] as? String == "queued")
        #expect((reply.json["id"] as? String)?.hasPrefix("job_") == true)
        #expect((reply.json["_raw"] as? String)?.contains(#""budget_usd":900"#) == true)
        #expect(submitted.value.load(ordering: .relaxed) == 1)
    }

    @Test("the same Idempotency-Key and body gives one job; another body under it is a 409")
    func idempotency() async throws {
        let first = try await submit(key: "run-7")
        let second = try await submit(key: "run-7")
        #expect(first.json["id"] as? String == second.json["id"] as? String)
        let list = try await call(.get, "/v1/jobs")
        #expect((list.json["_raw"] as? String)?.components(separatedBy: #""id":"job_"#).count == 2)
        let conflict = try await submit(key: "run-7", body: Self.spec.replacingOccurrences(of: "lora", with: "other"))
        #expect(conflict.status == .conflict)
        #expect(conflict.contentType == "application/problem+json")
        #expect(submitted.value.load(ordering: .relaxed) == 1)
    }

    @Test("a bad spec is a 400 naming the field")
    func badSpec() async throws {
        let reply = try await submit(body: Self.spec.replacingOccurrences(of: #""nodes": 2"#, with: #""nodes": 0"#))
        #expect(reply.status == .badRequest)
        #expect((reply.json["_raw"] as? String)?.contains("resources.nodes") == true)
    }

    @Test("a job is shown with nodes and spend; another id is a 404 problem")
    func show() async throws {
        let id = try #require(try await submit().json["id"] as? String)
        let reply = try await call(.get, "/v1/jobs/\(id)")
        #expect(reply.status == .ok)
        #expect(reply.json["spend_usd"] as? String == "0")
        #expect((reply.json["_raw"] as? String)?.contains(#""nodes":[]"#) == true)
        let missing = try await call(.get, "/v1/jobs/job_nope")
        #expect(missing.status == .notFound)
        #expect(missing.contentType == "application/problem+json")
    }

    @Test("cancel ends the job on its timeline; cancelling again is a 409")
    func cancel() async throws {
        let id = try #require(try await submit().json["id"] as? String)
        let cancelled = try await call(.post, "/v1/jobs/\(id)/cancel")
        #expect(cancelled.json["state"] as? String == "cancelled")
        #expect(try await call(.post, "/v1/jobs/\(id)/cancel").status == .conflict)
        let events = try await call(.get, "/v1/jobs/\(id)/events")
        let raw = try #require(events.json["_raw"] as? String)
        #expect(raw.contains("job.submitted") && raw.contains("cancelled by the team"))
    }

    @Test("the list filters by state, rejects an unknown one, and pages by cursor")
    func list() async throws {
        for _ in 0..<3 { _ = try await submit() }
        let page = try await call(.get, "/v1/jobs?limit=2")
        let cursor = try #require(page.json["next_cursor"] as? String)
        let rest = try await call(.get, "/v1/jobs?limit=2&cursor=\(cursor)")
        #expect(rest.json["next_cursor"] as? String == "<null>")
        let none = try await call(.get, "/v1/jobs?state=cancelled")
        #expect(none.status == .ok)
        #expect(none.json["jobs"] as? String == "[]")
        let bad = try await call(.get, "/v1/jobs?state=done")
        #expect(bad.status == .badRequest)
        #expect((bad.json["_raw"] as? String)?.contains("unknown state 'done'") == true)
        let forged = try await call(.get, "/v1/jobs?cursor=zzz")
        #expect(forged.status == .badRequest)
        #expect((forged.json["_raw"] as? String)?.contains("is not a cursor this API gave out") == true)
    }

    @Test("usage shows the team's spend")
    func usage() async throws {
        _ = try await submit()
        let reply = try await call(.get, "/v1/usage")
        #expect(reply.status == .ok)
        #expect(reply.json["team"] as? String == "default")
        #expect(reply.json["spend_usd"] as? String == "0")
    }
}

/// Counts the scheduler wake-ups the API asks for.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
