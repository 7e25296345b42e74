import BrokerCore
import Foundation
import Store

/// Owner pools, as the admin API and CLI manage them: create, list, turn on and off, delete, and
/// the join tokens machines register with (`gbj_` + a ``SecretToken``, shown once, stored hashed).
public struct OwnerPools: Sendable {
    /// The prefix that tells a join token from an API token.
    public static let joinTokenPrefix = "gbj_"

    /// A join token just issued: the only time its secret exists outside the caller's hands.
    public struct IssuedJoinToken: Sendable {
        public var token: String
        public var record: PoolJoinTokenRecord
    }

    private let pools: any PoolRepository
    private let clock: any BrokerClock

    public init(pools: any PoolRepository, clock: any BrokerClock) {
        self.pools = pools
        self.clock = clock
    }

    /// Creates a pool; `id` is also its provider id, so offers of its machines are `<id>:<machine>`.
    public func create(id: String, name: String, country: String, region: String, terms: PoolTerms) async throws
        -> PoolRecord
    {
        try await pools.create(
            PoolRecord(id: id, name: name, country: country, region: region, terms: terms, createdAt: clock.now))
    }

    public func all() async throws -> [PoolRecord] { try await pools.pools() }

    public func pool(id: String) async throws -> PoolRecord? { try await pools.pool(id: id) }

    public func setEnabled(_ enabled: Bool, pool id: String) async throws -> PoolRecord {
        try await pools.setEnabled(enabled, pool: id)
    }

    public func delete(pool id: String) async throws { try await pools.delete(pool: id, at: clock.now) }

    public func issueJoinToken(pool id: String, name: String) async throws -> IssuedJoinToken {
        let now = clock.now
        let token = Self.joinTokenPrefix + SecretToken.random()
        let record = PoolJoinTokenRecord(
            id: Identifier.make("join", at: now), poolId: id, name: name, tokenHash: SecretToken.hash(token),
            createdAt: now)
        return IssuedJoinToken(token: token, record: try await pools.issueJoinToken(record))
    }

    public func joinTokens(pool id: String) async throws -> [PoolJoinTokenRecord] {
        try await pools.joinTokens(pool: id)
    }

    public func revokeJoinToken(id: String) async throws -> PoolJoinTokenRecord {
        try await pools.revokeJoinToken(id: id, at: clock.now)
    }
}
