import BrokerCore
import Foundation
import Store

/// Operators' API tokens: issues them (`gbt_` + a ``SecretToken``, shown once to whoever asked
/// and stored as a hash only), lists them and revokes them.
public struct APITokens: Sendable {
    /// The prefix that makes a gridbroker token recognisable (in a leaked config, a secret scanner).
    public static let prefix = "gbt_"

    /// A token just issued: the only time its secret exists outside the caller's hands.
    public struct Issued: Sendable {
        public var token: String
        public var record: APITokenRecord
    }

    private let tokens: any TokenRepository
    private let clock: any BrokerClock
    /// The broker's memory of presented tokens, told of a revocation at once.
    private let authenticator: TokenAuthenticator?

    public init(tokens: any TokenRepository, clock: any BrokerClock, authenticator: TokenAuthenticator? = nil) {
        self.tokens = tokens
        self.clock = clock
        self.authenticator = authenticator
    }

    /// Every token, or those acting for `team`.
    public func list(team: String?) async throws -> [APITokenRecord] {
        try await tokens.tokens(team: team)
    }

    public func token(id: String) async throws -> APITokenRecord? {
        try await tokens.token(id: id)
    }

    /// Revokes token `id`: at once on this broker, within ``TokenAuthenticator/freshness`` on the
    /// others sharing its database. Unknown: ``Store/StoreError/notFound(entity:id:)``.
    public func revoke(id: String) async throws -> APITokenRecord {
        let revoked = try await tokens.revoke(id: id, at: clock.now)
        authenticator?.forget(tokenID: revoked.id)
        return revoked
    }

    /// Issues a token named `name`; a member token acts for `team`, an admin token for no team
    /// in particular.
    public func issue(name: String, role: TokenRole, team: String?) async throws -> Issued {
        let now = clock.now
        let token = Self.prefix + SecretToken.random()
        let record = APITokenRecord(
            id: Identifier.make("tok", at: now), teamId: role == .admin ? nil : team, role: role, name: name,
            tokenHash: Self.hash(token), createdAt: now)
        return Issued(token: token, record: try await tokens.issue(record))
    }

    /// The stored form of a presented token.
    public static func hash(_ token: String) -> String { SecretToken.hash(token) }
}
