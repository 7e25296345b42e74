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
    private let nodes: any NodeRepository
    private let clock: any BrokerClock

    public init(pools: any PoolRepository, nodes: any NodeRepository, clock: any BrokerClock) {
        self.pools = pools
        self.nodes = nodes
        self.clock = clock
    }

    /// What the pool's machines sold: every node placed on them, its GPU-hours and what its job
    /// was billed for it, up to now. Nil for an unknown pool.
    public func earnings(pool id: String) async throws -> PoolEarnings? {
        guard let pool = try await pools.pool(id: id) else { return nil }
        let now = clock.now
        var sales: [PoolEarnings.Sale] = []
        var cursor: String?
        repeat {
            let page = try await nodes.list(states: nil, provider: pool.id, limit: 500, after: cursor)
            sales += page.compactMap { node in
                guard let launched = node.launchedAt else { return nil }
                let end = node.terminatedAt ?? now
                return PoolEarnings.Sale(
                    machine: String(node.offerId.dropFirst(pool.id.count + 1)), gpus: node.gpuCount,
                    billedSeconds: Int64(max(0, end.timeIntervalSince(launched)).rounded(.down)),
                    billed: node.spend(at: now))
            }
            cursor = page.count == 500 ? page.last?.id : nil
        } while cursor != nil
        return PoolEarnings(sales)
    }

    /// Creates a pool; `id` is also its provider id, so offers of its machines are `<id>:<machine>`.
    public func create(id: String, name: String, country: String, region: String, terms: PoolTerms) async throws
        -> PoolRecord
    {
        try await pools.create(
            PoolRecord(id: id, name: name, country: country, region: region, terms: terms, createdAt: clock.now))
    }

    /// Creates the pools the config file declares, or brings them in line with it
    /// (``PoolRepository/declare(_:)``).
    public func declare(_ configured: [OwnerPoolConfiguration]) async throws {
        for pool in configured {
            var record = PoolRecord(
                id: pool.id, name: pool.name, country: pool.country, region: pool.region, terms: pool.terms,
                createdAt: clock.now)
            record.enabled = pool.enabled
            _ = try await pools.declare(record)
        }
    }

    public func all() async throws -> [PoolRecord] { try await pools.pools() }

    public func pool(id: String) async throws -> PoolRecord? { try await pools.pool(id: id) }

    /// Every enabled pool with its machines that joined with a token still in force.
    public func machines() async throws -> [(pool: PoolRecord, machines: [PoolMachineRecord])] {
        try await pools.machinesOfEnabledPools()
    }

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
