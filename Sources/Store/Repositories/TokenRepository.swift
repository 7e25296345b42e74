import Foundation

/// Where API tokens live (as hashes).
public protocol TokenRepository: Sendable {
    /// Stores a new token. A member token's team must exist (``StoreError/notFound(entity:id:)``).
    func issue(_ token: APITokenRecord) async throws -> APITokenRecord
    /// The unrevoked token whose hash is `tokenHash`.
    func activeToken(hash tokenHash: String) async throws -> APITokenRecord?
    /// Records when tokens were last used, by token id (tokens gone since are skipped).
    func recordUses(_ uses: [String: Date]) async throws
    func token(id: String) async throws -> APITokenRecord?
    /// Every token, or one team's, oldest first.
    func tokens(team: String?) async throws -> [APITokenRecord]
    /// Revokes a token (revoking it again keeps the first time). Unknown: ``StoreError/notFound(entity:id:)``.
    func revoke(id: String, at date: Date) async throws -> APITokenRecord
    /// Whether any unrevoked admin token exists.
    func hasActiveAdmin() async throws -> Bool
}
