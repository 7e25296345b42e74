import Store

extension BrokerStore {
    /// The store on a PostgreSQL database.
    public static func postgres(_ database: PostgresBrokerDatabase) -> BrokerStore {
        BrokerStore(
            location: database.location, jobs: PostgresJobRepository(database: database),
            nodes: PostgresNodeRepository(database: database), teams: PostgresTeamRepository(database: database),
            tokens: PostgresTokenRepository(database: database),
            providers: PostgresProviderRepository(database: database),
            webhooks: PostgresWebhookRepository(database: database),
            sessions: PostgresSessionRepository(database: database), pools: PostgresPoolRepository(database: database),
            blocks: PostgresCapacityBlockRepository(database: database),
            leases: PostgresLeaseRepository(database: database),
            offers: { PostgresOfferRepository(database: database, catalog: $0) },
            isReady: { await database.isMigrated() }, close: { await database.close() },
            guarded: { .postgres(database.guarded(by: $0)) })
    }
}
