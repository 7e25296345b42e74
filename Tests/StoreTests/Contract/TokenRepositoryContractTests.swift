import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("API tokens on every backend: stored by hash, revoked, last uses written")
struct TokenRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func record(_ id: String, hash: String, team: String? = "team_1", role: TokenRole = .member)
        -> APITokenRecord
    {
        APITokenRecord(id: id, teamId: team, role: role, name: id, tokenHash: hash, createdAt: start)
    }

    @Test(arguments: StoreBackend.available) func findsActiveTokensByHashAndWritesLastUses(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
            let tokens = store.tokens
            _ = try await tokens.issue(record("tok_1", hash: "h1"))
            #expect(try await tokens.activeToken(hash: "h2") == nil)
            #expect(try await tokens.activeToken(hash: "h1")?.id == "tok_1")
            try await tokens.recordUses(["tok_1": start, "tok_gone": start])
            #expect(try await tokens.token(id: "tok_1")?.lastUsedAt == start)
            try await tokens.recordUses(["tok_1": start.addingTimeInterval(60)])
            #expect(try await tokens.token(id: "tok_1")?.lastUsedAt == start.addingTimeInterval(60))
        }
    }

    @Test(arguments: StoreBackend.available) func revokedTokenNoLongerAuthenticatesAndRevokingAgainKeepsTheFirstTime(
        _ backend: StoreBackend
    ) async throws {
        try await backend.withStore { store in
            _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
            let tokens = store.tokens
            _ = try await tokens.issue(record("tok_1", hash: "h1"))
            #expect(try await tokens.revoke(id: "tok_1", at: start).revokedAt == start)
            #expect(try await tokens.revoke(id: "tok_1", at: start.addingTimeInterval(5)).revokedAt == start)
            #expect(try await tokens.activeToken(hash: "h1") == nil)
            await #expect(throws: StoreError.notFound(entity: "token", id: "tok_x")) {
                try await tokens.revoke(id: "tok_x", at: start)
            }
        }
    }

    @Test(arguments: StoreBackend.available) func memberTokenNeedsAnExistingTeamAndAdminsAreCounted(
        _ backend: StoreBackend
    ) async throws {
        try await backend.withStore { store in
            _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
            let tokens = store.tokens
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
}
