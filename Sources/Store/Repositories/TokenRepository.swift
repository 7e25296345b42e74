import Foundation

/// Where API tokens live (as hashes).
public protocol TokenRepository: Sendable {
    /// Stores a new token. A member token's team must exist (``StoreError/notFound(entity:id:)``).
    func issue(_ token: APITokenRecord) async throws -> APITokenRecord
    /// The unrevoked token whose hash is `tokenHash`, its last use recorded as `date` when the
    /// recorded one is older than the repository's precision (so most requests only read).
    func authenticate(tokenHash: String, at date: Date) async throws -> APITokenRecord?
    func token(id: String) async throws -> APITokenRecord?
    /// Every token, or one team's, oldest first.
    func tokens(team: String?) async throws -> [APITokenRecord]
    /// Revokes a token (revoking it again keeps the first time). Unknown: ``StoreError/notFound(entity:id:)``.
    func revoke(id: String, at date: Date) async throws -> APITokenRecord
    /// Whether any unrevoked admin token exists.
    func hasActiveAdmin() async throws -> Bool
}
