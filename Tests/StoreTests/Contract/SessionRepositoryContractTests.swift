import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Console sessions on every backend: found by secret hash while neither expired nor revoked")
struct SessionRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func session(_ id: String, token: String, expiresIn seconds: Double, at offset: Double = 0)
        -> ConsoleSessionRecord
    {
        ConsoleSessionRecord(
            id: id, tokenId: token, secretHash: "hash_" + id, createdAt: start.addingTimeInterval(offset),
            expiresAt: start.addingTimeInterval(offset + seconds))
    }

    @Test(arguments: StoreBackend.available)
    func aSessionActsForItsTokenUntilItExpiresOrTheTokenIsRevoked(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
            for id in ["tok_1", "tok_2"] {
                _ = try await store.tokens.issue(
                    APITokenRecord(
                        id: id, teamId: "team_1", role: .member, name: id, tokenHash: "h_" + id, createdAt: start))
            }
            try await store.sessions.create(session("s1", token: "tok_1", expiresIn: 600))
            try await store.sessions.create(session("s2", token: "tok_2", expiresIn: 600))
            let found = try #require(try await store.sessions.authenticate(secretHash: "hash_s1", at: start))
            #expect(found.session == session("s1", token: "tok_1", expiresIn: 600))
            #expect(found.token.id == "tok_1")
            #expect(
                try await store.sessions.authenticate(secretHash: "hash_s1", at: start.addingTimeInterval(600)) == nil)

            _ = try await store.tokens.revoke(id: "tok_2", at: start)
            #expect(try await store.sessions.authenticate(secretHash: "hash_s2", at: start) == nil)

            try await store.sessions.create(session("s3", token: "tok_1", expiresIn: 600, at: 10))
            try await store.sessions.delete(secretHash: "hash_s3")
            #expect(
                try await store.sessions.authenticate(secretHash: "hash_s3", at: start.addingTimeInterval(10)) == nil)
            await #expect(throws: StoreError.notFound(entity: "token", id: "tok_x")) {
                try await store.sessions.create(session("s4", token: "tok_x", expiresIn: 600))
            }
        }
    }
}
