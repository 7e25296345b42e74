import BrokerCore
import Foundation
import GRDB

/// ``PoolRepository`` on the broker's database.
public struct SQLitePoolRepository: PoolRepository {
    /// The provider kind of a pool's provider row; config syncs leave these rows alone.
    public static let providerKind = "pool"
    /// The kind of the config-listed pools that owner pools replaced.
    public static let retiredStaticKind = "static"

    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func create(_ pool: PoolRecord) async throws -> PoolRecord {
        try await database.pool.write { db in
            if try ProviderRecord.fetchOne(db, key: pool.id) != nil {
                throw StoreError.conflict("the id '\(pool.id)' is taken by a provider or pool")
            }
            if try PoolRecord.filter(Column("name") == pool.name).fetchCount(db) > 0 {
                throw StoreError.conflict("a pool named '\(pool.name)' already exists")
            }
            try ProviderRecord(
                id: pool.id, kind: Self.providerKind, baseUrl: "", enabled: true, pollIntervalS: 60,
                offerExpiryS: 300, createdAt: pool.createdAt
            ).insert(db)
            try pool.insert(db)
            return pool
        }
    }

    public func declare(_ pool: PoolRecord) async throws -> PoolRecord {
        try await database.pool.write { db in
            if var provider = try ProviderRecord.fetchOne(db, key: pool.id) {
                guard [Self.providerKind, Self.retiredStaticKind].contains(provider.kind) else {
                    throw StoreError.conflict("the id '\(pool.id)' is taken by the provider of kind \(provider.kind)")
                }
                provider.kind = Self.providerKind
                provider.baseUrl = ""
                try provider.update(db)
            } else {
                try ProviderRecord(
                    id: pool.id, kind: Self.providerKind, baseUrl: "", enabled: pool.enabled, pollIntervalS: 60,
                    offerExpiryS: 300, createdAt: pool.createdAt
                ).insert(db)
            }
            if try PoolRecord.filter(Column("name") == pool.name && Column("id") != pool.id).fetchCount(db) > 0 {
                throw StoreError.conflict("a pool named '\(pool.name)' already exists")
            }
            var declared = pool
            if let stored = try PoolRecord.fetchOne(db, key: pool.id) {
                declared.createdAt = stored.createdAt
                declared.enabled = pool.enabled && (stored.deletedAt != nil || stored.enabled)
            }
            declared.deletedAt = nil
            try declared.save(db)
            try ProviderRecord.filter(key: pool.id).updateAll(db, Column("enabled").set(to: declared.enabled))
            return declared
        }
    }

    public func pools() async throws -> [PoolRecord] {
        try await database.pool.read { db in
            try PoolRecord.filter(Column("deleted_at") == nil).order(Column("name")).fetchAll(db)
        }
    }

    public func pool(id: String) async throws -> PoolRecord? {
        try await database.pool.read { db in try Self.live(db, id) }
    }

    public func setEnabled(_ enabled: Bool, pool id: String) async throws -> PoolRecord {
        try await database.pool.write { db in
            guard var pool = try Self.live(db, id) else { throw StoreError.notFound(entity: "pool", id: id) }
            pool.enabled = enabled
            try pool.update(db, columns: ["enabled"])
            try ProviderRecord.filter(key: id).updateAll(db, Column("enabled").set(to: enabled))
            return pool
        }
    }

    public func delete(pool id: String, at date: Date) async throws {
        try await database.pool.write { db in
            guard var pool = try Self.live(db, id) else { throw StoreError.notFound(entity: "pool", id: id) }
            pool.enabled = false
            pool.deletedAt = date
            try pool.update(db, columns: ["enabled", "deleted_at"])
            try ProviderRecord.filter(key: id).updateAll(db, Column("enabled").set(to: false))
            try PoolJoinTokenRecord.filter(Column("pool_id") == id && Column("revoked_at") == nil)
                .updateAll(db, Column("revoked_at").set(to: date))
        }
    }

    public func issueJoinToken(_ token: PoolJoinTokenRecord) async throws -> PoolJoinTokenRecord {
        try await database.pool.write { db in
            guard try Self.live(db, token.poolId) != nil else {
                throw StoreError.notFound(entity: "pool", id: token.poolId)
            }
            try token.insert(db)
            return token
        }
    }

    public func joinTokens(pool id: String) async throws -> [PoolJoinTokenRecord] {
        try await database.pool.read { db in
            guard try Self.live(db, id) != nil else { throw StoreError.notFound(entity: "pool", id: id) }
            return try PoolJoinTokenRecord.filter(Column("pool_id") == id).order(Column("created_at"), Column("id"))
                .fetchAll(db)
        }
    }

    public func revokeJoinToken(id: String, at date: Date) async throws -> PoolJoinTokenRecord {
        try await database.pool.write { db in
            guard var token = try PoolJoinTokenRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "join token", id: id)
            }
            if token.revokedAt == nil {
                token.revokedAt = date
                try token.update(db, columns: ["revoked_at"])
            }
            return token
        }
    }

    public func joinToken(hash tokenHash: String) async throws -> (token: PoolJoinTokenRecord, pool: PoolRecord)? {
        try await database.pool.read { db in
            guard
                let token = try PoolJoinTokenRecord.filter(Column("token_hash") == tokenHash)
                    .filter(Column("revoked_at") == nil).fetchOne(db),
                let pool = try Self.live(db, token.poolId)
            else { return nil }
            return (token, pool)
        }
    }

    public func register(_ machine: PoolMachineRecord) async throws -> PoolMachineRecord {
        try await database.pool.write { db in
            var stored = machine
            if let existing = try PoolMachineRecord.filter(Column("pool_id") == machine.poolId)
                .filter(Column("name") == machine.name).fetchOne(db)
            {
                stored.id = existing.id
                stored.registeredAt = existing.registeredAt
            }
            try stored.save(db)
            return stored
        }
    }

    public func heartbeat(machineTokenHash tokenHash: String, at date: Date) async throws -> PoolMachineRecord? {
        try await database.pool.write { db in
            guard var machine = try PoolMachineRecord.filter(Column("token_hash") == tokenHash).fetchOne(db),
                try PoolJoinTokenRecord.filter(key: machine.joinTokenId).filter(Column("revoked_at") == nil)
                    .fetchCount(db) == 1,
                try Self.live(db, machine.poolId) != nil
            else { return nil }
            machine.lastHeartbeatAt = max(machine.lastHeartbeatAt, date)
            try machine.update(db, columns: ["last_heartbeat_at"])
            return machine
        }
    }

    public func machinesOfEnabledPools() async throws -> [(pool: PoolRecord, machines: [PoolMachineRecord])] {
        try await database.pool.read { db in
            let pools = try PoolRecord.filter(Column("deleted_at") == nil && Column("enabled") == true)
                .order(Column("id")).fetchAll(db)
            return try pools.map { pool in
                let machines = try PoolMachineRecord.fetchAll(
                    db,
                    sql: """
                        SELECT pool_machine.* FROM pool_machine
                        JOIN pool_join_token ON pool_join_token.id = pool_machine.join_token_id
                        WHERE pool_machine.pool_id = ? AND pool_join_token.revoked_at IS NULL
                        ORDER BY pool_machine.name
                        """, arguments: [pool.id])
                return (pool, machines)
            }
        }
    }

    private static func live(_ db: Database, _ id: String) throws -> PoolRecord? {
        try PoolRecord.filter(key: id).filter(Column("deleted_at") == nil).fetchOne(db)
    }

    public func machineLedger() async throws -> String? {
        try await database.pool.read { db in try String.fetchOne(db, sql: "SELECT state FROM pool_ledger") }
    }

    public func changeMachineLedger<Answer: Sendable>(_ change: @Sendable (String?) throws -> (String?, Answer))
        async throws -> Answer
    {
        try await database.pool.write { db in
            let stored = try String.fetchOne(db, sql: "SELECT state FROM pool_ledger")
            let (state, answer) = try change(stored)
            if let state, state != stored {
                try db.execute(
                    sql: """
                        INSERT INTO pool_ledger (id, state) VALUES (1, ?)
                        ON CONFLICT (id) DO UPDATE SET state = excluded.state
                        """, arguments: [state])
            }
            return answer
        }
    }
}
