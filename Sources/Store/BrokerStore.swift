import BrokerCore
import Foundation

/// The broker's store, whichever database holds it: every repository, and what the daemon asks of
/// the database itself (is it ready, close it). SQLite is the embedded default
/// (``sqlite(_:)``); PostgreSQL, for several brokers on one database, is PostgresStore's.
public struct BrokerStore: Sendable {
    /// Where the database is, for messages (a path, or a URL without its password).
    public let location: String
    public let jobs: any JobRepository
    public let nodes: any NodeRepository
    public let teams: any TeamRepository
    public let tokens: any TokenRepository
    public let providers: any ProviderRepository
    public let webhooks: any WebhookRepository
    public let sessions: any SessionRepository
    public let pools: any PoolRepository
    public let blocks: any CapacityBlockRepository
    /// The leases through which brokers sharing the database take turns; nil where a broker is
    /// alone on its database (SQLite), so every piece of work is its own.
    public let leases: (any LeaseRepository)?
    private let offerRepository: @Sendable (GPUCatalog) -> any OfferRepository
    private let readiness: @Sendable () async -> Bool
    private let closing: @Sendable () async throws -> Void
    private let guarding: (@Sendable (LeaseGuard) -> BrokerStore)?

    public init(
        location: String, jobs: any JobRepository, nodes: any NodeRepository, teams: any TeamRepository,
        tokens: any TokenRepository, providers: any ProviderRepository, webhooks: any WebhookRepository,
        sessions: any SessionRepository, pools: any PoolRepository, blocks: any CapacityBlockRepository,
        leases: (any LeaseRepository)?, offers: @escaping @Sendable (GPUCatalog) -> any OfferRepository,
        isReady: @escaping @Sendable () async -> Bool, close: @escaping @Sendable () async throws -> Void,
        guarded: (@Sendable (LeaseGuard) -> BrokerStore)? = nil
    ) {
        self.location = location
        self.jobs = jobs
        self.nodes = nodes
        self.teams = teams
        self.tokens = tokens
        self.providers = providers
        self.webhooks = webhooks
        self.sessions = sessions
        self.pools = pools
        self.blocks = blocks
        self.leases = leases
        self.offerRepository = offers
        self.readiness = isReady
        self.closing = close
        self.guarding = guarded
    }

    /// This store with every transaction checking `lease` first (``LeaseGuard``): what a service
    /// that works under a lease (a provider's polls, the reconciler, the accountant) reads and
    /// writes through. Itself when `lease` is nil or the database has no leases (a broker alone on
    /// SQLite).
    public func guarded(by lease: LeaseGuard?) -> BrokerStore {
        guard let lease, let guarding else { return self }
        return guarding(lease)
    }

    /// The offers, their GPUs read through `catalog`.
    public func offers(catalog: GPUCatalog = .standard) -> any OfferRepository { offerRepository(catalog) }

    /// Whether the database answers and its schema is complete: what `/readyz` reports.
    public func isReady() async -> Bool { await readiness() }

    /// Closes the database; later use fails.
    public func close() async throws { try await closing() }

    /// The store on a SQLite database.
    public static func sqlite(_ database: BrokerDatabase) -> BrokerStore {
        BrokerStore(
            location: database.path, jobs: SQLiteJobRepository(database: database),
            nodes: SQLiteNodeRepository(database: database), teams: SQLiteTeamRepository(database: database),
            tokens: SQLiteTokenRepository(database: database), providers: SQLiteProviderRepository(database: database),
            webhooks: SQLiteWebhookRepository(database: database),
            sessions: SQLiteSessionRepository(database: database),
            pools: SQLitePoolRepository(database: database), blocks: SQLiteCapacityBlockRepository(database: database),
            leases: nil,
            offers: { SQLiteOfferRepository(database: database, catalog: $0) }, isReady: { database.isMigrated() },
            close: { try database.close() })
    }
}
