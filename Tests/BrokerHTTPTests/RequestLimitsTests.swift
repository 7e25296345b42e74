import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

/// Bad input of every size and shape is a 4xx naming what is wrong, never a crash or a 500, and a
/// flood of it leaves the server answering good requests.
@Suite("Request limits: oversized, deeply nested and absurd bodies")
struct RequestLimitsTests {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    private let dependencies: APIDependencies
    private let database: BrokerDatabase
    /// A member token of the default team: the limits hold for authenticated requests too.
    private let authorization: HTTPFields

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-limits-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        try await DefaultTeam.ensure(in: SQLiteTeamRepository(database: database), at: Self.now)
        dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: ManualClock(now: Self.now))
        authorization = try await TestToken.issue(database, team: DefaultTeam.id)
    }

    private func call(_ uri: String, body: String) async throws -> (HTTPResponse.Status, String, String?) {
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .post, headers: authorization, body: ByteBuffer(string: body)) {
                ($0.status, String(buffer: $0.body), $0.headers[.contentType])
            }
        }
    }

    private static let bodyRoutes = ["/v1/jobs", "/v1/quotes", "/v1/agent/heartbeat", "/v1/webhooks/vast"]

    @Test("a body over 1 MiB is a 413 problem on every route that takes one", arguments: bodyRoutes)
    func oversized(route: String) async throws {
        let (status, body, type) = try await call(route, body: String(repeating: " ", count: (1 << 20) + 1))
        #expect(status == .contentTooLarge)
        #expect(type == "application/problem+json")
        #expect(body.contains("limit"))
    }

    @Test("a job spec nested absurdly deep is a 400 that says so")
    func deeplyNested() async throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        for route in ["/v1/jobs", "/v1/quotes"] {
            let (status, body, _) = try await call(route, body: "{\"name\": " + deep + "}")
            #expect(status == .badRequest, "\(route)")
            #expect(body.contains("nested deeper"), "\(route): \(body)")
        }
    }

    @Test(
        "absurd numbers in a job spec are a 400 naming the field",
        arguments: [
            (#""nodes": 1e400"#, "resources.nodes"), (#""nodes": 99999999999999999999999999"#, "resources.nodes"),
            (#""nodes": -0.5"#, "resources.nodes"),
        ])
    func absurdNumbers(nodes: String, field: String) async throws {
        let spec =
            #"{"name": "x", "resources": {"gpu": ["H100"], "gpus_per_node": 8, \#(nodes)}, "image": "i", "command": ["c"]}"#
        let (status, body, _) = try await call("/v1/jobs", body: spec)
        #expect(status == .badRequest)
        #expect(body.contains(#""field":"\#(field)""#), "\(body)")
    }

    @Test("a flood of bad requests from one token leaves the server answering good ones from another")
    func floodOfBadRequests() async throws {
        let app = Application(router: buildRouter(dependencies))
        let other = try await TestToken.issue(database, team: DefaultTeam.id, name: "other")
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<400 {
                    group.addTask {
                        let body = index.isMultiple(of: 2) ? "{" : String(repeating: "[", count: 5000)
                        return try await client.execute(
                            uri: "/v1/jobs", method: .post, headers: authorization, body: ByteBuffer(string: body)
                        ) { $0.status }
                    }
                }
                return try await group.reduce(into: Set<HTTPResponse.Status>()) { $0.insert($1) }
            }
            // Refused as bad, or (past the token's burst) as too many; never a 5xx.
            #expect(statuses.isSubset(of: [.badRequest, .tooManyRequests]) && statuses.contains(.badRequest))
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/gpus", method: .get, headers: other) {
                #expect($0.status == .ok)
            }
        }
    }
}
