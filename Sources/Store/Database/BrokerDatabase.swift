import Foundation
import GRDB
import Logging

/// The broker's SQLite database: one WAL-mode `DatabasePool` per process, foreign keys on.
///
/// Open it with ``open(at:migrate:logger:)``. Opening runs the schema's pending migrations
/// (when asked to) and refuses a database written by a newer gridbroker before touching it.
public final class BrokerDatabase: Sendable {
    /// The file path, for messages.
    public let path: String
    /// The pool every repository reads and writes through.
    public let pool: DatabasePool
    /// The migrations that opening applied, in order (empty when the schema was current).
    public let migrationsApplied: [String]

    private init(path: String, pool: DatabasePool, migrationsApplied: [String]) {
        self.path = path
        self.pool = pool
        self.migrationsApplied = migrationsApplied
    }

    /// Opens (creating if needed) the database at `path`.
    ///
    /// - Parameters:
    ///   - migrate: apply pending migrations; when false, a database that needs them is refused.
    /// - Throws: ``StoreError/databaseIsNewer(path:unknownMigrations:)`` for a database this build
    ///   must not touch, ``StoreError/cannotOpen(path:reason:)`` for a file that is not a database.
    public static func open(at path: String, migrate: Bool = true, logger: Logger? = nil) throws -> BrokerDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A second process (the CLI doing a backup, `gridbroker migrate`) waits instead of failing.
        configuration.busyMode = .timeout(5)
        configuration.label = "gridbroker"
        // A poll upserts up to 100,000 offers in one transaction: keep its index pages in memory.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.describe(error))
        }
        do {
            let applied = try migrateIfNeeded(pool, path: path, migrate: migrate, logger: logger)
            return BrokerDatabase(path: path, pool: pool, migrationsApplied: applied)
        } catch {
            try? pool.close()
            throw error
        }
    }

    /// Whether the schema is complete: what `/readyz` reports.
    public func isMigrated() -> Bool {
        (try? pool.read { db in try Schema.migrator.hasCompletedMigrations(db) }) ?? false
    }

    /// Folds the write-ahead log back into the main file and closes every connection.
    /// Later use of the pool fails.
    public func close() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try pool.close()
    }

    /// Refuses a database from a newer build, then applies what is pending (or refuses, when
    /// `migrate` is false). Returns the migrations applied.
    private static func migrateIfNeeded(_ pool: DatabasePool, path: String, migrate: Bool, logger: Logger?) throws
        -> [String]
    {
        let migrator = Schema.migrator
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: describe(error))
        }
        let unknown = applied.subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else {
            throw StoreError.databaseIsNewer(path: path, unknownMigrations: unknown)
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard !pending.isEmpty else { return [] }
        guard migrate else { throw StoreError.notMigrated(path: path, pendingMigrations: pending) }
        do {
            try migrator.migrate(pool)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "migration failed: \(describe(error))")
        }
        logger?.info("database migrated", metadata: ["path": "\(path)", "applied": "\(pending)"])
        return pending
    }

    /// An error in words for ``StoreError`` messages.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}
