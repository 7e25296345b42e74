import Broker
import Foundation
import GRDB
import Hummingbird
import Store
import Testing

@testable import BrokerHTTP

@Suite("API tokens: 401, 403, public routes, last use, secrets kept out of answers and logs")
struct AuthTests {
    private let api: APIHarness

    init() async throws {
        api = try await APIHarness()
    }

    @Test("no token, an unknown one and a revoked one get the same 401 problem")
    func unauthorized() async throws {
        let member = try await api.token(team: "team_a")
        let id = try #require(try await SQLiteTokenRepository(database: api.database).tokens(team: "team_a").first?.id)
        _ = try await SQLiteTokenRepository(database: api.database).revoke(id: id, at: api.clock.now)
        let answers = [
            try await api.call(.get, "/v1/jobs", token: nil),
            try await api.call(.get, "/v1/jobs", token: "gbt_not-a-token"),
            try await api.call(.get, "/v1/jobs", token: member),
            try await api.call(.get, "/v1/offers", token: member),
        ]
        for answer in answers {
            #expect(answer.status == .unauthorized)
            #expect(answer.contentType == "application/problem+json")
            #expect(answer.text == answers[0].text)
        }
    }

    @Test("a member token on the admin API is a 403, however the path is spelled; an admin token passes")
    func forbidden() async throws {
        let member = try await api.token(team: "team_a")
        for path in ["/v1/admin/teams", "//v1/admin/teams", "/v1//admin/tokens", "/v1/admin/jobs"] {
            let answer = try await api.call(.get, path, token: member)
            #expect(answer.status == .forbidden, "\(path)")
        }
        #expect(try await api.call(.get, "/v1/admin/teams", token: try await api.token()).status == .ok)
        #expect(try await api.call(.get, "/v1/offers", token: member).status == .ok)
    }

    @Test("health, readiness, metrics, the API description, heartbeats and webhooks need no API token")
    func publicRoutes() async throws {
        #expect(try await api.call(.get, "/healthz", token: nil).status == .ok)
        #expect(try await api.call(.get, "/readyz", token: nil).status == .ok)
        #expect(try await api.call(.get, "/metrics", token: nil).status == .ok)
        #expect(try await api.call(.get, "/openapi.yaml", token: nil).status == .ok)
        // These check their own credentials.
        #expect(try await api.call(.post, "/v1/agent/heartbeat", token: nil, body: "{}").status == .unauthorized)
        #expect(try await api.call(.post, "/v1/webhooks/vast", token: nil, body: "{}").status == .serviceUnavailable)
        #expect(try await api.call(.get, "/v1/webhooks", token: nil).status == .unauthorized)
    }

    @Test("a token's last use is recorded, at most once a minute")
    func lastUsed() async throws {
        let token = try await api.token(team: "team_a")
        let tokens = SQLiteTokenRepository(database: api.database)
        let lastUse = {
            try await api.dependencies.authenticator.recordUses()
            return try await tokens.tokens(team: "team_a").first?.lastUsedAt
        }
        #expect(try await lastUse() == nil)
        _ = try await api.call(.get, "/v1/jobs", token: token)
        #expect(try await lastUse() == APIHarness.start)
        api.clock.advance(by: 30)
        _ = try await api.call(.get, "/v1/jobs", token: token)
        #expect(try await lastUse() == APIHarness.start)
        api.clock.advance(by: 31)
        _ = try await api.call(.get, "/v1/jobs", token: token)
        #expect(try await lastUse() == APIHarness.start.addingTimeInterval(61))
    }

    @Test("a revoked token is refused within a second, and a new one works at once")
    func revocationWithinASecond() async throws {
        let member = try await api.token(team: "team_a")
        #expect(try await api.call(.get, "/v1/jobs", token: member).status == .ok)
        let tokens = SQLiteTokenRepository(database: api.database)
        let id = try #require(try await tokens.tokens(team: "team_a").first?.id)
        _ = try await tokens.revoke(id: id, at: api.clock.now)
        api.clock.advance(by: 0.5)
        // Still remembered: another replica could have revoked it just now.
        #expect(try await api.call(.get, "/v1/jobs", token: member).status == .ok)
        api.clock.advance(by: 0.5)
        #expect(try await api.call(.get, "/v1/jobs", token: member).status == .unauthorized)
        let fresh = try await api.token(team: "team_a", name: "second")
        #expect(try await api.call(.get, "/v1/jobs", token: fresh).status == .ok)
    }

    @Test("the database holds a token's SHA-256 only")
    func storedHashed() async throws {
        let token = try await api.token(team: "team_a")
        #expect(token.hasPrefix("gbt_") && token.count >= 4 + 43)
        let rows = try api.database.pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_token") }
        #expect(rows.count == 1)
        #expect(rows[0]["token_hash"] == APITokens.hash(token))
        #expect(!"\(rows[0])".contains(token))
        #expect(!"\(rows[0])".contains(String(token.dropFirst(4))))
    }

    @Test("a token issued over the API appears in that answer only: not in lists, errors or the log")
    func secretsStayOut() async throws {
        let admin = try await api.token()
        let issued = try await api.call(
            .post, "/v1/admin/tokens", token: admin, body: #"{"name": "ci", "team": "team_a"}"#)
        #expect(issued.status == .created)
        let token = try #require(issued.json["token"] as? String)
        let id = try #require(issued.json["id"] as? String)
        var answers: [APIHarness.Reply] = []
        answers.append(try await api.call(.get, "/v1/jobs", token: token))
        answers.append(try await api.call(.post, "/v1/jobs", token: token, body: #"{"name": 1}"#))
        answers.append(try await api.call(.get, "/v1/admin/teams", token: token))
        answers.append(try await api.call(.get, "/v1/jobs", token: token + "x"))
        answers.append(try await api.call(.get, "/v1/admin/tokens", token: admin))
        answers.append(try await api.call(.get, "/v1/admin/tokens/\(id)", token: admin))
        answers.append(try await api.call(.post, "/v1/admin/tokens/\(id)/revoke", token: admin))
        answers.append(try await api.call(.get, "/v1/jobs", token: token))
        #expect(answers.map(\.status.code) == [200, 400, 403, 401, 200, 200, 200, 401])
        #expect(answers[4].text.contains(id))
        for answer in answers {
            #expect(!answer.text.contains(token) && !answer.text.contains(admin))
        }
        #expect(!api.log.text.isEmpty)
        #expect(!api.log.text.contains(token) && !api.log.text.contains(admin))
        #expect(!api.log.text.contains(String(token.dropFirst(4))))
    }
}
