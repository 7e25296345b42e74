import Foundation
import Store
import Testing

@testable import PostgresStore

/// The PostgreSQL server of the test run (`scripts/test` starts one and sets
/// `GRIDBROKER_TEST_POSTGRES_URL`); suites that need it are enabled only when it is there.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"]

    /// Runs `body` on a store in a new, empty schema, dropped afterwards.
    static func withStore(_ body: (BrokerStore) async throws -> Void) async throws {
        let url = try #require(url)
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let database = try await PostgresBrokerDatabase.open(url: url, schema: schema)
        let outcome: Result<Void, any Error>
        do {
            try await body(.postgres(database))
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        _ = try? await database.rows("DROP SCHEMA \(unescaped: schema) CASCADE")
        await database.close()
        try outcome.get()
    }
}
