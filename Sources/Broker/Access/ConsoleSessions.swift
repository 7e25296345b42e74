import BrokerCore
import Crypto
import Foundation
import Store

/// The web console's logins: an API token presented once at log-in becomes a session, whose
/// random secret lives only in the browser's cookie (the store keeps its SHA-256). A session acts
/// for its token: it ends when it expires, at log-out, or as soon as the token is revoked.
public struct ConsoleSessions: Sendable {
    /// A session that just began: the only time its secret exists outside the browser.
    public struct Started: Sendable {
        public var secret: String
        public var record: ConsoleSessionRecord
    }

    /// A live session and the token it acts for.
    public struct Live: Sendable {
        public var session: ConsoleSessionRecord
        public var token: APITokenRecord
        /// The session's CSRF token: what its forms carry back on every POST.
        public var csrfToken: String
    }

    /// How long a login lasts.
    public static let lifetime: TimeInterval = 12 * 3600

    private let sessions: any SessionRepository
    private let tokens: any TokenRepository
    private let clock: any BrokerClock

    public init(sessions: any SessionRepository, tokens: any TokenRepository, clock: any BrokerClock) {
        self.sessions = sessions
        self.tokens = tokens
        self.clock = clock
    }

    /// A new session for the API token `presented`; nil when the token is unknown or revoked.
    public func logIn(presented: String) async throws -> Started? {
        let now = clock.now
        guard let token = try await tokens.activeToken(hash: APITokens.hash(presented)) else {
            return nil
        }
        let secret = SecretToken.random()
        let record = ConsoleSessionRecord(
            id: Identifier.make("ses", at: now), tokenId: token.id, secretHash: SecretToken.hash(secret),
            createdAt: now, expiresAt: now.addingTimeInterval(Self.lifetime))
        try await sessions.create(record)
        return Started(secret: secret, record: record)
    }

    /// The live session whose cookie holds `secret`, else nil.
    public func authenticate(secret: String) async throws -> Live? {
        guard let found = try await sessions.authenticate(secretHash: SecretToken.hash(secret), at: clock.now) else {
            return nil
        }
        return Live(session: found.session, token: found.token, csrfToken: Self.csrfToken(forSecret: secret))
    }

    /// Ends the session whose cookie holds `secret`.
    public func logOut(secret: String) async throws {
        try await sessions.delete(secretHash: SecretToken.hash(secret))
    }

    /// A session's CSRF token, derived from its secret (HMAC-SHA256 keyed by it), so nothing more is
    /// stored and the page that shows it reveals nothing of the secret.
    static func csrfToken(forSecret secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("gridbroker console csrf".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.string(code)
    }
}
