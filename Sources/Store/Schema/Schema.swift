import GRDB

/// The database schema, as an append-only list of named migrations.
///
/// Migrations are never edited once released: a change to the schema is a new migration appended
/// at the end. A database that has applied a migration this list does not know was written by a
/// newer gridbroker and is refused (see ``StoreError/databaseIsNewer(path:unknownMigrations:)``).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-21 initial schema", migrate: createInitialSchema)
        migrator.registerMigration("2026-11-22 job checkpoints") { db in
            // The last checkpoint a node of the job reported: where a replacement resumes from.
            try db.execute(
                sql: """
                    ALTER TABLE job ADD COLUMN last_checkpoint_uri TEXT;
                    ALTER TABLE job ADD COLUMN last_checkpoint_at DATETIME;
                    """)
        }
        migrator.registerMigration("2026-11-23 node addresses") { db in
            // The address a node's agent reports: rank 0's is the gang's rendezvous (MASTER_ADDR).
            try db.execute(sql: "ALTER TABLE node ADD COLUMN address TEXT")
        }
        migrator.registerMigration("2026-11-23 api token lookups") { db in
            // Tokens are found by hash on every request (token_hash is UNIQUE, so indexed) and
            // listed per team by operators.
            try db.execute(sql: "CREATE INDEX api_token_by_team ON api_token(team_id, created_at)")
        }
        migrator.registerMigration("2026-12-06 node boots and datasets") { db in
            // A node runs once its agent reports in; until then the boot timeout counts from when the
            // provider was first seen running its instance. A job's shards as lists of objects (from
            // its dataset.manifest), read by its nodes' agents: JSON, an array of URI arrays by shard.
            try db.execute(
                sql: """
                    ALTER TABLE node ADD COLUMN instance_running_at DATETIME;
                    CREATE TABLE job_dataset (
                        job_id TEXT PRIMARY KEY NOT NULL REFERENCES job(id),
                        shard_objects TEXT NOT NULL CHECK (json_valid(shard_objects))
                    );
                    """)
        }
        migrator.registerMigration("2026-12-06 node bids") { db in
            // What a spot node bid per hour (nil: none, the provider's own limit); price_per_hour_micros
            // is what it pays, which its spend is counted at.
            try db.execute(
                sql: "ALTER TABLE node ADD COLUMN bid_micros INTEGER CHECK (bid_micros IS NULL OR bid_micros >= 0)")
        }
        migrator.registerMigration("2026-12-06 owner pools") { db in
            // Machines owners lend: a pool is also a provider (its machines' offers are
            // "<pool>:<machine>"); join tokens let machines register into it, stored as hashes.
            try db.execute(
                sql: """
                    CREATE TABLE pool (
                        id TEXT PRIMARY KEY NOT NULL REFERENCES provider(id),
                        name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                        country TEXT NOT NULL CHECK (length(country) = 2),
                        region TEXT NOT NULL CHECK (length(region) > 0),
                        market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
                        min_notice_s INTEGER NOT NULL CHECK (min_notice_s >= 0),
                        price_per_gpu_hour_micros INTEGER NOT NULL CHECK (price_per_gpu_hour_micros >= 0),
                        gpu_prices TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(gpu_prices)),
                        enabled BOOLEAN NOT NULL DEFAULT 1,
                        created_at DATETIME NOT NULL,
                        deleted_at DATETIME
                    );
                    CREATE TABLE pool_join_token (
                        id TEXT PRIMARY KEY NOT NULL,
                        pool_id TEXT NOT NULL REFERENCES pool(id),
                        name TEXT NOT NULL CHECK (length(name) > 0),
                        token_hash TEXT NOT NULL UNIQUE,
                        created_at DATETIME NOT NULL,
                        revoked_at DATETIME
                    );
                    CREATE INDEX pool_join_token_by_pool ON pool_join_token(pool_id, created_at);
                    """)
        }
        migrator.registerMigration("2026-12-06 pool machines") { db in
            // Machines that joined a pool with a join token; each heartbeats with a token of its own
            // (stored as a hash). Its offer is "<pool>:<name>" while it heartbeats.
            try db.execute(
                sql: """
                    CREATE TABLE pool_machine (
                        id TEXT PRIMARY KEY NOT NULL,
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
                        registered_at DATETIME NOT NULL,
                        last_heartbeat_at DATETIME NOT NULL,
                        UNIQUE (pool_id, name)
                    );
                    """)
        }
        migrator.registerMigration("2026-12-06 spot capacity and market pilots") { db in
            // How many spot nodes each provider's (GPU, GPU count, region) series had, a point per
            // change: the past `market: auto` policies learn from. And each such job's policy state,
            // advanced on every scheduler pass (JSON: BrokerCore's AutoMarketPilot).
            try db.execute(
                sql: """
                    CREATE TABLE spot_capacity (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
                        gpu TEXT NOT NULL,
                        gpu_count INTEGER NOT NULL CHECK (gpu_count >= 1),
                        region TEXT NOT NULL,
                        available INTEGER NOT NULL CHECK (available >= 0),
                        recorded_at DATETIME NOT NULL
                    );
                    CREATE INDEX spot_capacity_by_gpu_time ON spot_capacity(gpu, recorded_at);
                    -- Each series' latest count, so a poll compares against it without reading the history.
                    CREATE TABLE spot_capacity_latest (
                        provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
                        gpu TEXT NOT NULL,
                        gpu_count INTEGER NOT NULL,
                        region TEXT NOT NULL,
                        available INTEGER NOT NULL,
                        PRIMARY KEY (provider_id, gpu, gpu_count, region)
                    ) WITHOUT ROWID;
                    CREATE TABLE job_market_pilot (
                        job_id TEXT PRIMARY KEY NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        pilot TEXT NOT NULL CHECK (json_valid(pilot)),
                        updated_at DATETIME NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("2026-12-07 console sessions") { db in
            // The web console's logins: a session secret (stored as its SHA-256 only) acting for the
            // API token that logged in, until it expires, is logged out, or its token is revoked.
            try db.execute(
                sql: """
                    CREATE TABLE console_session (
                        id TEXT PRIMARY KEY NOT NULL,
                        token_id TEXT NOT NULL REFERENCES api_token(id),
                        secret_hash TEXT NOT NULL UNIQUE,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL
                    );
                    CREATE INDEX console_session_by_expiry ON console_session(expires_at);
                    """)
        }
        migrator.registerMigration("2026-12-07 offer listings") { db in
            // A poll writes only the offers it changed: one it listed as it was is not rewritten, it
            // is `listed` and was last seen when its provider last listed (offer_listing). Rows
            // written before are not listed: their last_seen_at is when they were last seen.
            try db.execute(
                sql: """
                    ALTER TABLE offer ADD COLUMN listed BOOLEAN NOT NULL DEFAULT 0;
                    CREATE TABLE offer_listing (
                        provider_id TEXT PRIMARY KEY NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
                        listed_at DATETIME NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("2026-12-07 capacity blocks") { db in
            // Where the scheduler will not launch for a while after a refusal: kept across restarts
            // and shared by the brokers on one database. Unused parts of a key are '' (a key column
            // that is NULL would never conflict).
            try db.execute(
                sql: """
                    CREATE TABLE capacity_block (
                        scope TEXT NOT NULL CHECK (scope IN ('offer', 'region', 'provider')),
                        provider_id TEXT NOT NULL CHECK (length(provider_id) > 0),
                        region TEXT NOT NULL DEFAULT '',
                        offer_id TEXT NOT NULL DEFAULT '',
                        until DATETIME NOT NULL,
                        PRIMARY KEY (scope, provider_id, region, offer_id)
                    );
                    """)
        }
        migrator.registerMigration("2026-12-07 missing nodes") { db in
            // When the reconciler first found a live node's instance missing or stopped (cleared once
            // seen): a node missing at two passes in a row has vanished, whichever broker made them.
            try db.execute(sql: "ALTER TABLE node ADD COLUMN missing_since DATETIME")
        }
        migrator.registerMigration("2026-12-07 pool ledger") { db in
            // The owner machines' ledger (which node runs where, what each machine is to do), as
            // JSON in one row: whichever broker a machine's heartbeat reaches hands out its orders.
            try db.execute(sql: "CREATE TABLE pool_ledger (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)")
        }
        return migrator
    }

    /// Names of every migration this build knows, in order.
    static var migrationIdentifiers: [String] { migrator.migrations }

    private static func createInitialSchema(_ db: Database) throws {
        try db.execute(sql: initialSchemaSQL)
    }

    /// Every table of the design's data model. Money is integer micro-USD (`*_micros`), times are
    /// GRDB's UTC text timestamps, enumerations are checked against their allowed values.
    private static let initialSchemaSQL = """
        CREATE TABLE provider (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
            kind TEXT NOT NULL,
            base_url TEXT NOT NULL,
            enabled BOOLEAN NOT NULL DEFAULT 1,
            poll_interval_s INTEGER NOT NULL CHECK (poll_interval_s > 0),
            offer_expiry_s INTEGER NOT NULL CHECK (offer_expiry_s > 0),
            last_poll_at DATETIME,
            last_success_at DATETIME,
            consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
            last_error TEXT,
            last_poll_duration_ms INTEGER,
            circuit_state TEXT NOT NULL DEFAULT 'closed'
                CHECK (circuit_state IN ('closed', 'open', 'half_open')),
            created_at DATETIME NOT NULL
        );

        CREATE TABLE offer (
            id TEXT PRIMARY KEY NOT NULL,
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
            price_per_hour_micros INTEGER NOT NULL CHECK (price_per_hour_micros >= 0),
            price_per_gpu_hour_micros INTEGER NOT NULL CHECK (price_per_gpu_hour_micros >= 0),
            available INTEGER NOT NULL CHECK (available >= 0),
            reliability REAL CHECK (reliability IS NULL OR (reliability >= 0 AND reliability <= 1)),
            first_seen_at DATETIME NOT NULL,
            last_seen_at DATETIME NOT NULL,
            withdrawn_at DATETIME,
            raw TEXT
        );
        -- Searches run on the in-memory OfferBook; the table needs only its key, so a 100,000-offer
        -- poll does not pay for search indexes.

        CREATE TABLE price_point (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            provider_id TEXT NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
            gpu TEXT NOT NULL,
            region TEXT NOT NULL,
            market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
            price_per_gpu_hour_micros INTEGER NOT NULL CHECK (price_per_gpu_hour_micros >= 0),
            recorded_at DATETIME NOT NULL
        );
        CREATE INDEX price_point_by_series ON price_point(provider_id, gpu, region, market, recorded_at);
        CREATE INDEX price_point_by_gpu_time ON price_point(gpu, recorded_at);

        CREATE TABLE team (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
            budget_micros INTEGER CHECK (budget_micros IS NULL OR budget_micros >= 0),
            spend_micros INTEGER NOT NULL DEFAULT 0 CHECK (spend_micros >= 0),
            created_at DATETIME NOT NULL
        );

        CREATE TABLE api_token (
            id TEXT PRIMARY KEY NOT NULL,
            team_id TEXT REFERENCES team(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('member', 'admin')),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at DATETIME NOT NULL,
            last_used_at DATETIME,
            revoked_at DATETIME,
            CHECK (role = 'admin' OR team_id IS NOT NULL)
        );

        CREATE TABLE job (
            id TEXT PRIMARY KEY NOT NULL,
            team_id TEXT NOT NULL REFERENCES team(id),
            name TEXT NOT NULL,
            spec TEXT NOT NULL CHECK (json_valid(spec)),
            state TEXT NOT NULL CHECK (state IN
                ('queued', 'provisioning', 'running', 'migrating', 'succeeded', 'failed', 'cancelled')),
            reason TEXT,
            priority INTEGER NOT NULL DEFAULT 0,
            deadline DATETIME,
            spend_micros INTEGER NOT NULL DEFAULT 0 CHECK (spend_micros >= 0),
            idempotency_key TEXT,
            request_hash TEXT,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            started_at DATETIME,
            finished_at DATETIME,
            UNIQUE (team_id, idempotency_key)
        );
        CREATE INDEX job_by_state ON job(state, priority DESC, created_at);
        CREATE INDEX job_by_team ON job(team_id, created_at);

        CREATE TABLE node (
            id TEXT PRIMARY KEY NOT NULL,
            job_id TEXT NOT NULL REFERENCES job(id),
            rank INTEGER NOT NULL CHECK (rank >= 0),
            provider_id TEXT NOT NULL REFERENCES provider(id),
            offer_id TEXT NOT NULL,
            native_instance_id TEXT,
            market TEXT NOT NULL CHECK (market IN ('on_demand', 'spot')),
            gpu TEXT NOT NULL,
            gpu_count INTEGER NOT NULL CHECK (gpu_count > 0),
            region TEXT NOT NULL,
            price_per_hour_micros INTEGER NOT NULL CHECK (price_per_hour_micros >= 0),
            state TEXT NOT NULL CHECK (state IN
                ('requested', 'booting', 'running', 'preempting', 'terminating', 'terminated', 'failed')),
            reason TEXT,
            replaces_node_id TEXT REFERENCES node(id),
            agent_token_hash TEXT UNIQUE,
            spend_micros INTEGER NOT NULL DEFAULT 0 CHECK (spend_micros >= 0),
            requested_at DATETIME NOT NULL,
            launched_at DATETIME,
            last_heartbeat_at DATETIME,
            terminated_at DATETIME,
            UNIQUE (provider_id, native_instance_id)
        );
        CREATE INDEX node_by_job ON node(job_id, rank);
        CREATE INDEX node_by_state ON node(state);

        CREATE TABLE shard (
            job_id TEXT NOT NULL REFERENCES job(id),
            idx INTEGER NOT NULL CHECK (idx >= 0),
            state TEXT NOT NULL CHECK (state IN ('pending', 'assigned', 'done')),
            node_id TEXT REFERENCES node(id),
            progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            updated_at DATETIME NOT NULL,
            PRIMARY KEY (job_id, idx)
        );
        CREATE INDEX shard_by_node ON shard(node_id);

        CREATE TABLE event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT REFERENCES job(id),
            node_id TEXT REFERENCES node(id),
            provider_id TEXT REFERENCES provider(id),
            kind TEXT NOT NULL CHECK (length(kind) > 0),
            from_state TEXT,
            to_state TEXT,
            message TEXT NOT NULL,
            data TEXT CHECK (data IS NULL OR json_valid(data)),
            at DATETIME NOT NULL
        );
        CREATE INDEX event_by_job ON event(job_id, id);
        CREATE INDEX event_by_node ON event(node_id, id);
        CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'event is append-only'); END;
        CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
            BEGIN SELECT RAISE(ABORT, 'event is append-only'); END;

        CREATE TABLE webhook_delivery (
            provider_id TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            received_at DATETIME NOT NULL,
            PRIMARY KEY (provider_id, delivery_id)
        );
        """
}
