import BrokerCore
import Foundation
import Store

/// Issues API tokens: `gbt_` + a ``SecretToken``, shown once to whoever asked and stored as a
/// hash only.
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

    public init(tokens: any TokenRepository, clock: any BrokerClock) {
        self.tokens = tokens
        self.clock = clock
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
