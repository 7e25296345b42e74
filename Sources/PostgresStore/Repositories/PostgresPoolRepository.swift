import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/PoolRepository`` on PostgreSQL.
public struct PostgresPoolRepository: PoolRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func create(_ pool: PoolRecord) async throws -> PoolRecord {
        try await database.transaction { connection in
            let provider = ProviderRecord(
                id: pool.id, kind: SQLitePoolRepository.providerKind, baseUrl: "", enabled: true, pollIntervalS: 60,
                offerExpiryS: 300, createdAt: pool.createdAt)
            guard
                try await !connection.insert(provider, into: "provider", "ON CONFLICT DO NOTHING RETURNING id").isEmpty
            else { throw StoreError.conflict("the id '\(pool.id)' is taken by a provider or pool") }
            guard try await !connection.insert(pool, into: "pool", "ON CONFLICT DO NOTHING RETURNING id").isEmpty else {
                throw StoreError.conflict("a pool named '\(pool.name)' already exists")
            }
            return pool
        }
    }

    public func declare(_ pool: PoolRecord) async throws -> PoolRecord {
        try await database.transaction { connection in
            let kinds = [SQLitePoolRepository.providerKind, SQLitePoolRepository.retiredStaticKind]
            if let provider = try await connection.rows("SELECT kind FROM provider WHERE id = \(pool.id) FOR UPDATE")
                .first
            {
                let kind = try provider.decode(String.self)
                guard kinds.contains(kind) else {
                    throw StoreError.conflict("the id '\(pool.id)' is taken by the provider of kind \(kind)")
                }
                try await connection.run(
                    "UPDATE provider SET kind = \(SQLitePoolRepository.providerKind), base_url = '' WHERE id = \(pool.id)"
                )
            } else {
                try await connection.insert(
                    ProviderRecord(
                        id: pool.id, kind: SQLitePoolRepository.providerKind, baseUrl: "", enabled: pool.enabled,
                        pollIntervalS: 60, offerExpiryS: 300, createdAt: pool.createdAt), into: "provider")
            }
            let taken = try await connection.rows(
                "SELECT 1 FROM pool WHERE name = \(pool.name) AND id <> \(pool.id)")
            guard taken.isEmpty else { throw StoreError.conflict("a pool named '\(pool.name)' already exists") }
            var declared = pool
            if let stored = try await connection.rows("SELECT * FROM pool WHERE id = \(pool.id) FOR UPDATE").first
                .map({ try $0.record(PoolRecord.self) })
            {
                declared.createdAt = stored.createdAt
                declared.enabled = pool.enabled && (stored.deletedAt != nil || stored.enabled)
            }
            declared.deletedAt = nil
            try await connection.insert(
                declared, into: "pool",
                """
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country,
                    region = excluded.region, market = excluded.market, min_notice_s = excluded.min_notice_s,
                    price_per_gpu_hour_micros = excluded.price_per_gpu_hour_micros, gpu_prices = excluded.gpu_prices,
                    enabled = excluded.enabled, deleted_at = NULL
                """)
            try await connection.run("UPDATE provider SET enabled = \(declared.enabled) WHERE id = \(pool.id)")
            return declared
        }
    }

    public func pools() async throws -> [PoolRecord] {
        try await database.rows("SELECT * FROM pool WHERE deleted_at IS NULL ORDER BY name")
            .map { try $0.record(PoolRecord.self) }
    }

    public func pool(id: String) async throws -> PoolRecord? {
        try await database.withConnection { try await $0.livePool(id) }
    }

    public func setEnabled(_ enabled: Bool, pool id: String) async throws -> PoolRecord {
        try await database.transaction { connection in
            guard var pool = try await connection.livePool(id, locked: true) else {
                throw StoreError.notFound(entity: "pool", id: id)
            }
            pool.enabled = enabled
            try await connection.run("UPDATE pool SET enabled = \(enabled) WHERE id = \(id)")
            try await connection.run("UPDATE provider SET enabled = \(enabled) WHERE id = \(id)")
            return pool
        }
    }

    public func delete(pool id: String, at date: Date) async throws {
        try await database.transaction { connection in
            guard try await connection.livePool(id, locked: true) != nil else {
                throw StoreError.notFound(entity: "pool", id: id)
            }
            try await connection.run("UPDATE pool SET enabled = FALSE, deleted_at = \(date) WHERE id = \(id)")
            try await connection.run("UPDATE provider SET enabled = FALSE WHERE id = \(id)")
            try await connection.run(
                "UPDATE pool_join_token SET revoked_at = \(date) WHERE pool_id = \(id) AND revoked_at IS NULL")
        }
    }

    public func issueJoinToken(_ token: PoolJoinTokenRecord) async throws -> PoolJoinTokenRecord {
        try await database.transaction { connection in
            guard try await connection.livePool(token.poolId) != nil else {
                throw StoreError.notFound(entity: "pool", id: token.poolId)
            }
            try await connection.insert(token, into: "pool_join_token")
            return token
        }
    }

    public func joinTokens(pool id: String) async throws -> [PoolJoinTokenRecord] {
        try await database.transaction { connection in
            guard try await connection.livePool(id) != nil else { throw StoreError.notFound(entity: "pool", id: id) }
            return try await connection.rows(
                "SELECT * FROM pool_join_token WHERE pool_id = \(id) ORDER BY created_at, id"
            )
            .map { try $0.record(PoolJoinTokenRecord.self) }
        }
    }

    public func revokeJoinToken(id: String, at date: Date) async throws -> PoolJoinTokenRecord {
        // Revoking again keeps the first time.
        guard
            let row = try await database.rows(
                "UPDATE pool_join_token SET revoked_at = coalesce(revoked_at, \(date)) WHERE id = \(id) RETURNING *"
            ).first
        else { throw StoreError.notFound(entity: "join token", id: id) }
        return try row.record(PoolJoinTokenRecord.self)
    }

    public func joinToken(hash tokenHash: String) async throws -> (token: PoolJoinTokenRecord, pool: PoolRecord)? {
        try await database.transaction { connection in
            guard
                let token = try await connection.rows(
                    "SELECT * FROM pool_join_token WHERE token_hash = \(tokenHash) AND revoked_at IS NULL"
                ).first.map({ try $0.record(PoolJoinTokenRecord.self) }),
                let pool = try await connection.livePool(token.poolId)
            else { return nil }
            return (token, pool)
        }
    }

    public func register(_ machine: PoolMachineRecord) async throws -> PoolMachineRecord {
        try await database.transaction { connection in
            // One of the same name is replaced: it keeps its id and first registration.
            let rows = try await connection.insert(
                machine, into: "pool_machine",
                """
                ON CONFLICT (pool_id, name) DO UPDATE SET join_token_id = excluded.join_token_id, gpu = excluded.gpu,
                    gpu_count = excluded.gpu_count, gpu_memory_gb = excluded.gpu_memory_gb, vcpus = excluded.vcpus,
                    memory_gb = excluded.memory_gb, disk_gb = excluded.disk_gb, token_hash = excluded.token_hash,
                    last_heartbeat_at = excluded.last_heartbeat_at
                RETURNING *
                """)
            guard let stored = rows.first else { throw StoreError.notFound(entity: "machine", id: machine.id) }
            return try stored.record(PoolMachineRecord.self)
        }
    }

    public func heartbeat(machineTokenHash tokenHash: String, at date: Date) async throws -> PoolMachineRecord? {
        try await database.rows(
            """
            UPDATE pool_machine SET last_heartbeat_at = greatest(last_heartbeat_at, \(date))
            WHERE token_hash = \(tokenHash)
              AND EXISTS (SELECT 1 FROM pool_join_token
                          WHERE pool_join_token.id = pool_machine.join_token_id AND revoked_at IS NULL)
              AND EXISTS (SELECT 1 FROM pool WHERE pool.id = pool_machine.pool_id AND deleted_at IS NULL)
            RETURNING *
            """
        ).first.map { try $0.record(PoolMachineRecord.self) }
    }

    public func machinesOfEnabledPools() async throws -> [(pool: PoolRecord, machines: [PoolMachineRecord])] {
        try await database.transaction(.snapshot) { connection in
            let pools = try await connection.rows(
                "SELECT * FROM pool WHERE deleted_at IS NULL AND enabled ORDER BY id"
            ).map { try $0.record(PoolRecord.self) }
            let machines = try await connection.rows(
                """
                SELECT pool_machine.* FROM pool_machine
                JOIN pool_join_token ON pool_join_token.id = pool_machine.join_token_id
                WHERE pool_join_token.revoked_at IS NULL
                ORDER BY pool_machine.name
                """
            ).map { try $0.record(PoolMachineRecord.self) }
            let byPool = Dictionary(grouping: machines, by: \.poolId)
            return pools.map { ($0, byPool[$0.id] ?? []) }
        }
    }

    public func machineLedger() async throws -> String? {
        // '' is the row a first change locks before it writes anything.
        let stored = try await database.rows("SELECT state FROM pool_ledger").first?.decode(String.self)
        return stored?.isEmpty == false ? stored : nil
    }

    public func changeMachineLedger<Answer: Sendable>(_ change: @Sendable (String?) throws -> (String?, Answer))
        async throws -> Answer
    {
        try await database.transaction { connection in
            // A row to lock even before the first write, so two brokers' first changes take turns.
            try await connection.run("INSERT INTO pool_ledger (id, state) VALUES (1, '') ON CONFLICT (id) DO NOTHING")
            let row = try await connection.rows("SELECT state FROM pool_ledger FOR UPDATE").first
            let stored = try row?.decode(String.self)
            let (state, answer) = try change(stored?.isEmpty == false ? stored : nil)
            if let state, state != stored {
                try await connection.run("UPDATE pool_ledger SET state = \(state)")
            }
            return answer
        }
    }
}

extension PostgresConnection {
    /// The pool, unless deleted; locked until the transaction ends when `locked`.
    fileprivate func livePool(_ id: String, locked: Bool = false) async throws -> PoolRecord? {
        try await rows(
            "SELECT * FROM pool WHERE id = \(id) AND deleted_at IS NULL \(unescaped: locked ? "FOR UPDATE" : "")"
        ).first.map { try $0.record(PoolRecord.self) }
    }
}
