import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Opening and migrating the database")
struct BrokerDatabaseTests {
    /// A fresh path in a new temporary folder.
    private func freshPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-store-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("gridbroker.sqlite").path
    }

    private static let designTables: Set<String> = [
        "provider", "offer", "price_point", "team", "api_token", "job", "node", "shard", "event", "webhook_delivery",
    ]

    @Test func freshDatabaseGetsEveryTableInWALModeWithForeignKeys() throws {
        let database = try BrokerDatabase.open(at: try freshPath())
        #expect(database.migrationsApplied == Schema.migrationIdentifiers)
        #expect(database.isMigrated())
        try database.pool.read { db in
            let tables = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            #expect(tables.isSuperset(of: Self.designTables))
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
        }
        try database.close()
    }

    @Test func reopeningAnExistingDatabaseKeepsItsDataAndAppliesNothing() throws {
        let path = try freshPath()
        let first = try BrokerDatabase.open(at: path)
        try first.pool.write { db in
            try db.execute(sql: "INSERT INTO team (id, name, created_at) VALUES ('t1', 'vision', CURRENT_TIMESTAMP)")
        }
        try first.close()

        let second = try BrokerDatabase.open(at: path)
        #expect(second.migrationsApplied.isEmpty)
        let names = try second.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM team") }
        #expect(names == ["vision"])
        try second.close()
    }

    @Test func databaseFromANewerVersionIsRefusedAndLeftUntouched() throws {
        let path = try freshPath()
        let database = try BrokerDatabase.open(at: path)
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01 from the future')")
        }
        try database.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        #expect(
            throws: StoreError.databaseIsNewer(path: path, unknownMigrations: ["2099-01-01 from the future"])
        ) {
            try BrokerDatabase.open(at: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func newerDatabaseMessageTellsTheOperatorWhatToDo() {
        let error = StoreError.databaseIsNewer(path: "var/gridbroker.sqlite", unknownMigrations: ["x"])
        #expect(error.description.contains("newer gridbroker"))
        #expect(error.description.contains("var/gridbroker.sqlite"))
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWithItsPath() throws {
        let path = try freshPath()
        try Data("this is not sqlite, just some text that is long enough to have a header".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect {
            try BrokerDatabase.open(at: path)
        } throws: { error in
            guard case .cannotOpen(let failedPath, _) = error as? StoreError else { return false }
            return failedPath == path
        }
    }

    @Test func openingWithoutMigratingRefusesAnUnmigratedDatabase() throws {
        let path = try freshPath()
        #expect(throws: StoreError.notMigrated(path: path, pendingMigrations: Schema.migrationIdentifiers)) {
            try BrokerDatabase.open(at: path, migrate: false)
        }
    }

    @Test func schemaEnforcesForeignKeysAndAllowedStates() throws {
        let database = try BrokerDatabase.open(at: try freshPath())
        // A job for a team that does not exist.
        #expect(throws: DatabaseError.self) {
            try database.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO job (id, team_id, name, spec, state, created_at, updated_at)
                        VALUES ('j1', 'nobody', 'x', '{}', 'queued', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
                        """)
            }
        }
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO team (id, name, created_at) VALUES ('t1', 'vision', CURRENT_TIMESTAMP)")
        }
        // A state the design does not have.
        #expect(throws: DatabaseError.self) {
            try database.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO job (id, team_id, name, spec, state, created_at, updated_at)
                        VALUES ('j1', 't1', 'x', '{}', 'paused', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
                        """)
            }
        }
    }

    @Test func eventsAreAppendOnly() throws {
        let database = try BrokerDatabase.open(at: try freshPath())
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO event (kind, message, at) VALUES ('note', 'hello', CURRENT_TIMESTAMP)")
        }
        #expect(throws: DatabaseError.self) {
            try database.pool.write { db in try db.execute(sql: "UPDATE event SET message = 'rewritten'") }
        }
        #expect(throws: DatabaseError.self) {
            try database.pool.write { db in try db.execute(sql: "DELETE FROM event") }
        }
        let messages = try database.pool.read { db in try String.fetchAll(db, sql: "SELECT message FROM event") }
        #expect(messages == ["hello"])
    }

    @Test func dataDirectoryIsCreatedAndAnUnwritableOneIsReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-dd-\(UUID())/a/b").path
        try DataDirectory.prepare(folder)
        #expect(FileManager.default.fileExists(atPath: folder))

        let file = folder + "/plain-file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        #expect {
            try DataDirectory.prepare(file + "/inside")
        } throws: { error in
            guard case .unusableDataDirectory(let path, _) = error as? StoreError else { return false }
            return path == file + "/inside"
        }
    }
}
