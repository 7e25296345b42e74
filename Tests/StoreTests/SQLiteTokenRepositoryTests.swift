import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("API tokens: stored by hash, revoked, last uses written")
struct SQLiteTokenRepositoryTests {
    private let tokens: SQLiteTokenRepository
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-tokens-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        _ = try await SQLiteTeamRepository(database: database)
            .create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
        tokens = SQLiteTokenRepository(database: database)
    }

    private func record(_ id: String, hash: String, team: String? = "team_1", role: TokenRole = .member)
        -> APITokenRecord
    {
        APITokenRecord(id: id, teamId: team, role: role, name: id, tokenHash: hash, createdAt: start)
    }

    @Test func findsActiveTokensByHashAndWritesLastUses() async throws {
        _ = try await tokens.issue(record("tok_1", hash: "h1"))
        #expect(try await tokens.activeToken(hash: "h2") == nil)
        #expect(try await tokens.activeToken(hash: "h1")?.id == "tok_1")
        try await tokens.recordUses(["tok_1": start, "tok_gone": start])
        #expect(try await tokens.token(id: "tok_1")?.lastUsedAt == start)
        try await tokens.recordUses(["tok_1": start.addingTimeInterval(60)])
        #expect(try await tokens.token(id: "tok_1")?.lastUsedAt == start.addingTimeInterval(60))
    }

    @Test func revokedTokenNoLongerAuthenticatesAndRevokingAgainKeepsTheFirstTime() async throws {
        _ = try await tokens.issue(record("tok_1", hash: "h1"))
        #expect(try await tokens.revoke(id: "tok_1", at: start).revokedAt == start)
        #expect(try await tokens.revoke(id: "tok_1", at: start.addingTimeInterval(5)).revokedAt == start)
        #expect(try await tokens.activeToken(hash: "h1") == nil)
        await #expect(throws: StoreError.notFound(entity: "token", id: "tok_x")) {
            try await tokens.revoke(id: "tok_x", at: start)
        }
    }

    @Test func memberTokenNeedsAnExistingTeamAndAdminsAreCounted() async throws {
        await #expect(throws: StoreError.notFound(entity: "team", id: "team_x")) {
            try await tokens.issue(record("tok_1", hash: "h1", team: "team_x"))
        }
        #expect(try await tokens.hasActiveAdmin() == false)
        _ = try await tokens.issue(record("tok_2", hash: "h2", team: nil, role: .admin))
        #expect(try await tokens.hasActiveAdmin())
        _ = try await tokens.revoke(id: "tok_2", at: start)
        #expect(try await tokens.hasActiveAdmin() == false)
        #expect(try await tokens.tokens(team: nil).map(\.id) == ["tok_2"])
        #expect(try await tokens.tokens(team: "team_1").isEmpty)
    }
}
