import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

@Suite("Per-token request rate: 429 with Retry-After, other tokens unaffected")
struct RateLimitTests {
    @Test("a token over its burst gets a 429 problem with Retry-After; another token is still answered")
    func overTheRate() async throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-rate-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        try await DefaultTeam.ensure(in: SQLiteTeamRepository(database: database), at: now)
        let clock = ManualClock(now: now)
        var dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: clock)
        dependencies.rateLimit = TokenBucket.Limit(perSecond: 0.5, burst: 3)
        let busy = try await TestToken.issue(database, team: DefaultTeam.id, name: "busy")
        let other = try await TestToken.issue(database, team: DefaultTeam.id, name: "other")
        let app = Application(router: buildRouter(dependencies))
        try await app.test(.router) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/gpus", method: .get, headers: busy) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/v1/gpus", method: .get, headers: busy) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "2")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/v1/gpus", method: .get, headers: other) { #expect($0.status == .ok) }
            // Two seconds later the busy token has one request again.
            clock.advance(by: 2)
            try await client.execute(uri: "/v1/gpus", method: .get, headers: busy) { #expect($0.status == .ok) }
            // Health checks carry no token and are never limited.
            for _ in 0..<10 {
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            }
        }
    }
}
