import BrokerCore
import Foundation
import GRDB

/// ``ProviderRepository`` on the broker's database.
public struct SQLiteProviderRepository: ProviderRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func sync(_ configured: [ProviderRecord]) async throws {
        try await database.pool.write { db in
            for provider in configured {
                if var stored = try ProviderRecord.fetchOne(db, key: provider.id) {
                    stored.kind = provider.kind
                    stored.baseUrl = provider.baseUrl
                    stored.pollIntervalS = provider.pollIntervalS
                    stored.offerExpiryS = provider.offerExpiryS
                    if !provider.enabled { stored.enabled = false }
                    try stored.update(db)
                } else {
                    try provider.insert(db)
                }
            }
            // Providers the config no longer names are turned off; pools, made through the API, are not the config's.
            let ids = configured.map(\.id)
            try ProviderRecord.filter(
                !ids.contains(Column("id")) && Column("kind") != SQLitePoolRepository.providerKind
            )
            .updateAll(db, Column("enabled").set(to: false))
        }
    }

    public func providers() async throws -> [ProviderRecord] {
        try await database.pool.read { db in try ProviderRecord.order(Column("id")).fetchAll(db) }
    }

    public func provider(id: String) async throws -> ProviderRecord? {
        try await database.pool.read { db in try ProviderRecord.fetchOne(db, key: id) }
    }

    public func setEnabled(_ enabled: Bool, provider id: String) async throws -> ProviderRecord {
        try await database.pool.write { db in
            guard var provider = try ProviderRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "provider", id: id)
            }
            provider.enabled = enabled
            try provider.update(db)
            return provider
        }
    }

    public func recordPoll(_ outcome: PollOutcome, provider id: String) async throws {
        try await database.pool.write { db in
            var assignments = [
                Column("last_poll_at").set(to: outcome.at),
                Column("last_poll_duration_ms").set(to: outcome.duration.milliseconds),
                Column("consecutive_failures").set(to: outcome.consecutiveFailures),
                Column("circuit_state").set(to: outcome.circuitState),
            ]
            // The last error stays visible after a recovery, next to the newer last success.
            if let error = outcome.error {
                assignments.append(Column("last_error").set(to: error))
            } else {
                assignments.append(Column("last_success_at").set(to: outcome.at))
            }
            let changed = try ProviderRecord.filter(key: id).updateAll(db, assignments)
            if changed == 0 { throw StoreError.notFound(entity: "provider", id: id) }
        }
    }
}
