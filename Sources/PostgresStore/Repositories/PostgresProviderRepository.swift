import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/ProviderRepository`` on PostgreSQL.
public struct PostgresProviderRepository: ProviderRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func sync(_ configured: [ProviderRecord]) async throws {
        try await database.transaction { connection in
            for provider in configured {
                // A known provider keeps its health and an operator's disable; the config can only turn it off.
                try await connection.run(
                    """
                    INSERT INTO provider (id, kind, base_url, enabled, poll_interval_s, offer_expiry_s,
                        consecutive_failures, circuit_state, created_at)
                    VALUES (\(provider.id), \(provider.kind), \(provider.baseUrl), \(provider.enabled),
                        \(provider.pollIntervalS), \(provider.offerExpiryS), \(provider.consecutiveFailures),
                        \(provider.circuitState.rawValue), \(provider.createdAt))
                    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url,
                        poll_interval_s = excluded.poll_interval_s, offer_expiry_s = excluded.offer_expiry_s,
                        enabled = provider.enabled AND excluded.enabled
                    """)
            }
            // Providers the config no longer names are turned off; pools, made through the API, are not the config's.
            try await connection.run(
                """
                UPDATE provider SET enabled = FALSE
                WHERE NOT (id = ANY(\(configured.map(\.id)))) AND kind <> \(SQLitePoolRepository.providerKind)
                """)
        }
    }

    public func providers() async throws -> [ProviderRecord] {
        try await database.rows("SELECT * FROM provider ORDER BY id").map { try $0.record(ProviderRecord.self) }
    }

    public func provider(id: String) async throws -> ProviderRecord? {
        try await database.rows("SELECT * FROM provider WHERE id = \(id)").first.map {
            try $0.record(ProviderRecord.self)
        }
    }

    public func setEnabled(_ enabled: Bool, provider id: String) async throws -> ProviderRecord {
        guard
            let row = try await database.rows(
                "UPDATE provider SET enabled = \(enabled) WHERE id = \(id) RETURNING *"
            ).first
        else { throw StoreError.notFound(entity: "provider", id: id) }
        return try row.record(ProviderRecord.self)
    }

    public func recordPoll(_ outcome: PollOutcome, provider id: String) async throws {
        // The last error stays visible after a recovery, next to the newer last success.
        let rows = try await database.rows(
            """
            UPDATE provider SET last_poll_at = \(outcome.at),
                last_poll_duration_ms = \(Int64(outcome.duration.milliseconds)),
                consecutive_failures = \(outcome.consecutiveFailures),
                circuit_state = \(outcome.circuitState.rawValue),
                last_error = coalesce(\(outcome.error), last_error),
                last_success_at = CASE WHEN \(outcome.error)::text IS NULL THEN \(outcome.at) ELSE last_success_at END
            WHERE id = \(id) RETURNING id
            """)
        if rows.isEmpty { throw StoreError.notFound(entity: "provider", id: id) }
    }
}
