import Foundation
import Logging
import PostgresNIO
import Store

/// The PostgreSQL schema, as an append-only list of named migrations (the same rule as the
/// SQLite schema's: a released migration is never edited; a database that applied one this list
/// does not know was written by a newer gridbroker and is refused).
///
/// It holds the SQLite schema's tables as they are after its migrations, in PostgreSQL's types:
/// times are `timestamptz`, money `bigint` micro-USD, and the order SQLite takes from `rowid`
/// comes from identity columns.
enum PostgresSchema {
    static let migrations: [(identifier: String, sql: String)] = [
        ("2026-12-07 initial schema", initialSchemaSQL),
        // Who does which shared work (a provider's polls, the scheduler's passes) until when.
        (
            "2026-12-07 leases",
            """
            CREATE TABLE lease (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                token TEXT NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL
            );
            """
        ),
        // The owner machines' ledger (which node runs where), shared by the brokers: one row.
        (
            "2026-12-07 pool ledger",
            "CREATE TABLE pool_ledger (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);"
        ),
    ]

    /// Refuses a database from a newer build, then applies what is pending (or refuses, when
    /// `migrate` is false), holding an advisory lock so that brokers starting together take turns.
    /// `schema` (a checked SQL name) is created first when it does not exist.
    static func migrateIfNeeded(
        _ client: PostgresClient, schema: String?, location: String, migrate: Bool, logger: Logger
    ) async throws -> [String] {
        try await client.withConnection { connection in
            // The lock first: even CREATE … IF NOT EXISTS races another broker's.
            try await connection.run("SELECT pg_advisory_lock(\(lockKey))")
            do {
                if let schema { try await connection.run("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)") }
                try await connection.run(
                    """
                    CREATE TABLE IF NOT EXISTS gridbroker_migration (
                        identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """)
                let applied = try await appliedIdentifiers(connection)
                let known = Set(migrations.map(\.identifier))
                let unknown = applied.subtracting(known).sorted()
                guard unknown.isEmpty else {
                    throw StoreError.databaseIsNewer(path: location, unknownMigrations: unknown)
                }
                let pending = migrations.filter { !applied.contains($0.identifier) }
                if !pending.isEmpty && !migrate {
                    throw StoreError.notMigrated(path: location, pendingMigrations: pending.map(\.identifier))
                }
                for migration in pending {
                    try await connection.run("BEGIN")
                    do {
                        for statement in statements(of: migration.sql) {
                            try await connection.run(PostgresQuery(unsafeSQL: statement))
                        }
                        try await connection.run(
                            "INSERT INTO gridbroker_migration (identifier) VALUES (\(migration.identifier))")
                        try await connection.run("COMMIT")
                    } catch {
                        try? await connection.run("ROLLBACK")
                        throw StoreError.cannotOpen(
                            path: location,
                            reason:
                                "migration '\(migration.identifier)' failed: \(PostgresBrokerDatabase.describe(error))")
                    }
                }
                try await connection.run("SELECT pg_advisory_unlock(\(lockKey))")
                if !pending.isEmpty {
                    logger.info(
                        "database migrated",
                        metadata: ["database": "\(location)", "applied": "\(pending.map(\.identifier))"])
                }
                return pending.map(\.identifier)
            } catch {
                try? await connection.run("SELECT pg_advisory_unlock(\(lockKey))")
                throw error
            }
        }
    }

    /// The migrations this build knows that the database has not applied.
    static func pending(_ client: PostgresClient) async throws -> [String] {
        let applied = try await client.withConnection { try await appliedIdentifiers($0) }
        return migrations.map(\.identifier).filter { !applied.contains($0) }
    }

    /// A migration's statements, one at a time (the extended protocol runs one per query): each
    /// ends with a semicolon at the end of its line.
    static func statements(of sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    private static func appliedIdentifiers(_ connection: PostgresConnection) async throws -> Set<String> {
        var applied: Set<String> = []
        for row in try await connection.rows("SELECT identifier FROM gridbroker_migration") {
            applied.insert(try row.decode(String.self))
        }
        return applied
    }

    /// The advisory lock migrations hold ("gridbrok" in ASCII).
    private static let lockKey: Int64 = 0x6772_6964_6272_6F6B

    private static let initialSchemaSQL = """
        CREATE TABLE provider (
            id TEXT PRIMARY KEY CHECK (length(id) > 0),
            kind TEXT NOT NULL,
            base_url TEXT NOT NULL,
            enabled BOOLEAN NOT NULL DEFAULT TRUE,
            poll_interval_s INTEGER NOT NULL CHECK (poll_interval_s > 0),
            offer_expiry_s INTEGER NOT NULL CHECK (offer_expiry_s > 0),
            last_poll_at TIMESTAMPTZ,
            last_success_at TIMESTAMPTZ,
            consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
            last_error TEXT,
            last_poll_duration_ms BIGINT,
            circuit_state TEXT NOT NULL DEFAULT 'closed' CHECK (circuit_state IN ('closed', 'open', 'half_open')),
            created_at TIMESTAMPTZ NOT NULL
        );

        CREATE TABLE offer (
            id TEXT PRIMARY KEY,
            provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
            native_id TEXT NOT NULL,
            gpu TEXT NOT NULL,
            gpu_known BOOLEAN NOT NULL,
            gpu_count INTEGER NOT NULL CHECK (gpu_count > 0),
            gpu_memory_gb INTEGER NOT NULL CHECK (gpu_memory_gb >= 0),
            interconnect TEXT,
            vcpus INTEGER NOT NULL CHECK (vcpus >= 0),
            memory_gb INTEGER NOT NULL CHECK (memory_gb >= 0),
            disk_gb INTEGER NOT NULL CHECK (disk_gb >= 0),
            region TEXT NOT NULL,
            country TEXT,
            market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
            price_per_hour_micros BIGINT NOT NULL CHECK (price_per_hour_micros >= 0),
            price_per_gpu_hour_micros BIGINT NOT NULL CHECK (price_per_gpu_hour_micros >= 0),
            available INTEGER NOT NULL CHECK (available >= 0),
            reliability DOUBLE PRECISION CHECK (reliability IS NULL OR (reliability >= 0 AND reliability <= 1)),
            first_seen_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL,
            withdrawn_at TIMESTAMPTZ,
            raw TEXT,
            listed BOOLEAN NOT NULL DEFAULT FALSE
        );

        CREATE TABLE offer_listing (
            provider_id TEXT PRIMARY KEY REFERENCES provider(id) ON DELETE CASCADE,
            listed_at TIMESTAMPTZ NOT NULL
        );

        CREATE TABLE price_point (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
            gpu TEXT NOT NULL,
            region TEXT NOT NULL,
            market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
            price_per_gpu_hour_micros BIGINT NOT NULL CHECK (price_per_gpu_hour_micros >= 0),
            recorded_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX price_point_by_series ON price_point(provider_id, gpu, region, market, recorded_at);
        CREATE INDEX price_point_by_gpu_time ON price_point(gpu, recorded_at);

        CREATE TABLE team (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
            budget_micros BIGINT CHECK (budget_micros IS NULL OR budget_micros >= 0),
            spend_micros BIGINT NOT NULL DEFAULT 0 CHECK (spend_micros >= 0),
            created_at TIMESTAMPTZ NOT NULL
        );

        CREATE TABLE api_token (
            id TEXT PRIMARY KEY,
            team_id TEXT REFERENCES team(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('member', 'admin')),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            last_used_at TIMESTAMPTZ,
            revoked_at TIMESTAMPTZ,
            CHECK (role = 'admin' OR team_id IS NOT NULL)
        );
        CREATE INDEX api_token_by_team ON api_token(team_id, created_at);

        CREATE TABLE console_session (
            id TEXT PRIMARY KEY,
            token_id TEXT NOT NULL REFERENCES api_token(id),
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX console_session_by_expiry ON console_session(expires_at);

        CREATE TABLE job (
            id TEXT PRIMARY KEY,
            team_id TEXT NOT NULL REFERENCES team(id),
            name TEXT NOT NULL,
            spec TEXT NOT NULL CHECK (spec::jsonb IS NOT NULL),
            state TEXT NOT NULL CHECK (state IN
                ('queued', 'provisioning', 'running', 'migrating', 'succeeded', 'failed', 'cancelled')),
            reason TEXT,
            priority INTEGER NOT NULL DEFAULT 0,
            deadline TIMESTAMPTZ,
            spend_micros BIGINT NOT NULL DEFAULT 0 CHECK (spend_micros >= 0),
            idempotency_key TEXT,
            request_hash TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            started_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            last_checkpoint_uri TEXT,
            last_checkpoint_at TIMESTAMPTZ,
            UNIQUE (team_id, idempotency_key)
        );
        CREATE INDEX job_by_state ON job(state, priority DESC, created_at);
        CREATE INDEX job_by_team ON job(team_id, created_at);

        CREATE TABLE job_dataset (
            job_id TEXT PRIMARY KEY REFERENCES job(id),
            shard_objects TEXT NOT NULL CHECK (shard_objects::jsonb IS NOT NULL)
        );

        CREATE TABLE job_market_pilot (
            job_id TEXT PRIMARY KEY REFERENCES job(id) ON DELETE CASCADE,
            pilot TEXT NOT NULL CHECK (pilot::jsonb IS NOT NULL),
            updated_at TIMESTAMPTZ NOT NULL
        );

        CREATE TABLE node (
            id TEXT PRIMARY KEY,
            -- The order nodes were requested in (SQLite's rowid).
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            job_id TEXT NOT NULL REFERENCES job(id),
            rank INTEGER NOT NULL CHECK (rank >= 0),
            provider_id TEXT NOT NULL REFERENCES provider(id),
            offer_id TEXT NOT NULL,
            native_instance_id TEXT,
            market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
            gpu TEXT NOT NULL,
            gpu_count INTEGER NOT NULL CHECK (gpu_count > 0),
            region TEXT NOT NULL,
            price_per_hour_micros BIGINT NOT NULL CHECK (price_per_hour_micros >= 0),
            bid_micros BIGINT CHECK (bid_micros IS NULL OR bid_micros >= 0),
            state TEXT NOT NULL CHECK (state IN
                ('requested', 'booting', 'running', 'preempting', 'terminating', 'terminated', 'failed')),
            reason TEXT,
            replaces_node_id TEXT REFERENCES node(id),
            agent_token_hash TEXT UNIQUE,
            address TEXT,
            spend_micros BIGINT NOT NULL DEFAULT 0 CHECK (spend_micros >= 0),
            requested_at TIMESTAMPTZ NOT NULL,
            launched_at TIMESTAMPTZ,
            instance_running_at TIMESTAMPTZ,
            last_heartbeat_at TIMESTAMPTZ,
            terminated_at TIMESTAMPTZ,
            missing_since TIMESTAMPTZ,
            UNIQUE (provider_id, native_instance_id)
        );
        CREATE INDEX node_by_job ON node(job_id, rank);
        CREATE INDEX node_by_state ON node(state);

        CREATE TABLE shard (
            job_id TEXT NOT NULL REFERENCES job(id),
            idx INTEGER NOT NULL CHECK (idx >= 0),
            state TEXT NOT NULL CHECK (state IN ('pending', 'assigned', 'done')),
            node_id TEXT REFERENCES node(id),
            progress DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (job_id, idx)
        );
        CREATE INDEX shard_by_node ON shard(node_id);

        CREATE TABLE event (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id TEXT REFERENCES job(id),
            node_id TEXT REFERENCES node(id),
            provider_id TEXT REFERENCES provider(id),
            kind TEXT NOT NULL CHECK (length(kind) > 0),
            from_state TEXT,
            to_state TEXT,
            message TEXT NOT NULL,
            data TEXT CHECK (data IS NULL OR data::jsonb IS NOT NULL),
            at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX event_by_job ON event(job_id, id);
        CREATE INDEX event_by_node ON event(node_id, id);
        CREATE FUNCTION event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'event is append-only'; END $$;
        CREATE TRIGGER event_is_append_only BEFORE UPDATE OR DELETE ON event
            FOR EACH ROW EXECUTE FUNCTION event_is_append_only();

        CREATE TABLE webhook_delivery (
            provider_id TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            received_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (provider_id, delivery_id)
        );

        CREATE TABLE pool (
            id TEXT PRIMARY KEY REFERENCES provider(id),
            name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
            country TEXT NOT NULL CHECK (length(country) = 2),
            region TEXT NOT NULL CHECK (length(region) > 0),
            market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
            min_notice_s INTEGER NOT NULL CHECK (min_notice_s >= 0),
            price_per_gpu_hour_micros BIGINT NOT NULL CHECK (price_per_gpu_hour_micros >= 0),
            gpu_prices TEXT NOT NULL DEFAULT '{}' CHECK (gpu_prices::jsonb IS NOT NULL),
            enabled BOOLEAN NOT NULL DEFAULT TRUE,
            created_at TIMESTAMPTZ NOT NULL,
            deleted_at TIMESTAMPTZ
        );

        CREATE TABLE pool_join_token (
            id TEXT PRIMARY KEY,
            pool_id TEXT NOT NULL REFERENCES pool(id),
            name TEXT NOT NULL CHECK (length(name) > 0),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            revoked_at TIMESTAMPTZ
        );
        CREATE INDEX pool_join_token_by_pool ON pool_join_token(pool_id, created_at);

        CREATE TABLE pool_machine (
            id TEXT PRIMARY KEY,
            pool_id TEXT NOT NULL REFERENCES pool(id),
            join_token_id TEXT NOT NULL REFERENCES pool_join_token(id),
            name TEXT NOT NULL CHECK (length(name) > 0),
            gpu TEXT NOT NULL,
            gpu_count INTEGER NOT NULL CHECK (gpu_count BETWEEN 1 AND 64),
            gpu_memory_gb INTEGER NOT NULL CHECK (gpu_memory_gb >= 0),
            vcpus INTEGER NOT NULL CHECK (vcpus >= 0),
            memory_gb INTEGER NOT NULL CHECK (memory_gb >= 0),
            disk_gb INTEGER NOT NULL CHECK (disk_gb >= 0),
            token_hash TEXT NOT NULL UNIQUE,
            registered_at TIMESTAMPTZ NOT NULL,
            last_heartbeat_at TIMESTAMPTZ NOT NULL,
            UNIQUE (pool_id, name)
        );

        CREATE TABLE spot_capacity (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
            gpu TEXT NOT NULL,
            gpu_count INTEGER NOT NULL CHECK (gpu_count >= 1),
            region TEXT NOT NULL,
            available INTEGER NOT NULL CHECK (available >= 0),
            recorded_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX spot_capacity_by_gpu_time ON spot_capacity(gpu, recorded_at);
        CREATE TABLE spot_capacity_latest (
            provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
            gpu TEXT NOT NULL,
            gpu_count INTEGER NOT NULL,
            region TEXT NOT NULL,
            available INTEGER NOT NULL,
            PRIMARY KEY (provider_id, gpu, gpu_count, region)
        );

        CREATE TABLE capacity_block (
            scope TEXT NOT NULL CHECK (scope IN ('offer', 'region', 'provider')),
            provider_id TEXT NOT NULL CHECK (length(provider_id) > 0),
            region TEXT NOT NULL DEFAULT '',
            offer_id TEXT NOT NULL DEFAULT '',
            until TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (scope, provider_id, region, offer_id)
        );
        """
}
