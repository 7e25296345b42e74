import BrokerCore
import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Online backup and integrity check of a database in use")
struct DatabaseMaintenanceTests {
    private let folder: URL
    private let database: BrokerDatabase

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-maintenance-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
    }

    @Test func backupOfAnOpenDatabaseHoldsItsRowsAndChecksClean() async throws {
        let teams = SQLiteTeamRepository(database: database)
        _ = try await teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: Date()))
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try DatabaseMaintenance.backup(from: database.path, to: copy)
        // Written after the backup: not in it.
        _ = try await teams.create(TeamRecord(id: "team_2", name: "speech", budget: nil, createdAt: Date()))
        let restored = try BrokerDatabase.open(at: copy, migrate: false)
        #expect(try await SQLiteTeamRepository(database: restored).teams().map(\.id) == ["team_1"])
        try restored.close()
        #expect(try DatabaseMaintenance.problems(at: copy).isEmpty)
        #expect(try DatabaseMaintenance.problems(at: database.path).isEmpty)
        #expect(throws: StoreError.self) { try DatabaseMaintenance.backup(from: database.path, to: copy) }
    }

    @Test func checkReportsARowWhoseParentIsMissing() async throws {
        try await database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(
                sql: """
                    INSERT INTO job (id, team_id, name, spec, state, created_at, updated_at)
                    VALUES ('job_1', 'team_gone', 'x', '{}', 'queued', '2026-11-21', '2026-11-21')
                    """)
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let problems = try DatabaseMaintenance.problems(at: database.path)
        #expect(problems == ["job row 1 refers to a missing team"])
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: StoreError.cannotOpen(path: "/nonexistent/x.sqlite", reason: "no such file")) {
            try DatabaseMaintenance.problems(at: "/nonexistent/x.sqlite")
        }
    }
}
