import Foundation
import Synchronization
import Testing

@testable import PostgresStore
@testable import Store

/// The backends the store contract runs on: SQLite always, PostgreSQL when the run was given a
/// server (`scripts/test` starts one and sets `GRIDBROKER_TEST_POSTGRES_URL`).
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL = ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"]

    static var available: [StoreBackend] { postgresURL == nil ? [.sqlite] : allCases }

    var testDescription: String { rawValue }

    /// Runs `body` on one new, empty database, opened once.
    func withStore(_ body: (BrokerStore) async throws -> Void) async throws {
        try await withDatabase { open in try await body(try await open()) }
    }

    /// Runs `body` on one new, empty database; `open` connects to it again, as another broker
    /// (or the same one after a restart) would. Everything opened is closed afterwards.
    func withDatabase(_ body: (_ open: @Sendable () async throws -> BrokerStore) async throws -> Void)
        async throws
    {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-store-\(UUID())")
            try DataDirectory.prepare(folder.path)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("gridbroker.sqlite").path
            try await body { .sqlite(try BrokerDatabase.open(at: path)) }
        case .postgres:
            guard let url = Self.postgresURL else { throw StoreError.cannotOpen(path: "postgres", reason: "no URL") }
            let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let opened = Mutex<[PostgresBrokerDatabase]>([])
            let outcome: Result<Void, any Error>
            do {
                try await body {
                    let database = try await PostgresBrokerDatabase.open(url: url, schema: schema)
                    opened.withLock { $0.append(database) }
                    return .postgres(database)
                }
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            let databases = opened.withLock { $0 }
            if let first = databases.first { _ = try? await first.rows("DROP SCHEMA \(unescaped: schema) CASCADE") }
            for database in databases { await database.close() }
            try outcome.get()
        }
    }
}
