import Foundation
import Testing

@testable import PostgresStore
@testable import Store

@Suite("PostgreSQL database: URLs, migrations by several brokers at once, newer databases refused")
struct PostgresBrokerDatabaseTests {
    @Test(arguments: [
        ("mysql://u@localhost/db", "scheme 'mysql' is not postgres:// or postgresql://"),
        ("postgres://localhost/db", "the URL names no user"),
        ("postgres://u@localhost", "the URL names no database (…/database)"),
        ("postgres://u:hunter2@localhost/db?sslmode=verify", "sslmode 'verify' is not disable, prefer or require"),
        (
            "postgres://u:hunter2@localhost/db?connect_timeout=0",
            "connect_timeout '0' is not a whole number of seconds above 0"
        ),
    ])
    func aBadURLIsRefusedByNameWithoutItsPassword(url: String, reason: String) async throws {
        let error = await #expect(throws: StoreError.self) { try await PostgresBrokerDatabase.open(url: url) }
        guard case .cannotOpen(let location, let why) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(why == reason)
        #expect(!location.contains("hunter2"))
    }

    /// Refused before any connection: no server listens here, so any other failure would say so.
    @Test func aSchemaThatIsNotAPlainNameIsRefused() async throws {
        let reason = "schema 'x; DROP TABLE job' is not a lowercase SQL name ([a-z_][a-z0-9_]*)"
        await #expect(throws: StoreError.cannotOpen(path: "postgres://u@127.0.0.1:9/db", reason: reason)) {
            try await PostgresBrokerDatabase.open(url: "postgres://u@127.0.0.1:9/db", schema: "x; DROP TABLE job")
        }
        let inURL = "postgres://u@127.0.0.1:9/db?schema=x;%20DROP%20TABLE%20job"
        await #expect(throws: StoreError.cannotOpen(path: inURL, reason: reason)) {
            try await PostgresBrokerDatabase.open(url: inURL)
        }
    }

    /// Nothing listens on port 9 here: opening says the server refused at once, where the pool
    /// alone would try again for good.
    @Test func aServerThatRefusesIsReportedAtOnce() async throws {
        let error = await #expect(throws: StoreError.self) {
            try await PostgresBrokerDatabase.open(url: "postgres://u:hunter2@127.0.0.1:9/db")
        }
        guard case .cannotOpen(let location, let reason) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(location == "postgres://u:***@127.0.0.1:9/db")
        #expect(reason.contains("Connection refused"))
    }

    /// A socket that listens and never answers: opening gives up after the URL's
    /// `connect_timeout` and says so.
    @Test func aServerThatNeverAnswersIsGivenUpAfterTheConnectTimeout() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let url = "postgres://u@127.0.0.1:\(silent.port)/db?connect_timeout=1&sslmode=disable"
        let error = await #expect(throws: StoreError.self) { try await PostgresBrokerDatabase.open(url: url) }
        guard case .cannotOpen(_, let reason) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(reason == "Connect timeout (1 s)")
    }

    /// A replica whose database stops letting it in (its role can no longer log in, its sessions
    /// are ended) is not ready, and is again once it may reconnect.
    @Test(.enabled(if: StoreBackend.postgresURL != nil))
    func aReplicaThatLosesItsDatabaseIsNotReadyUntilItIsBack() async throws {
        let name = "lost_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let admin = try await PostgresBrokerDatabase.open(
            url: try #require(StoreBackend.postgresURL), schema: name + "_admin")
        let database = try #require(StoreBackend.postgresURL?.split(separator: "/").last?.split(separator: "?").first)
        _ = try await admin.rows("CREATE ROLE \(unescaped: name) LOGIN")
        _ = try await admin.rows("GRANT CREATE ON DATABASE \(unescaped: String(database)) TO \(unescaped: name)")
        let url = try #require(StoreBackend.postgresURL).replacingOccurrences(of: "//gridbroker@", with: "//\(name)@")
        let replica = try await PostgresBrokerDatabase.open(url: url, schema: name)
        // Ready, asked as a load balancer would (each answer within 2 s; a busy test run may miss one).
        func eventuallyReady() async -> Bool {
            for _ in 0..<30 where await replica.isMigrated() { return true }
            return false
        }
        #expect(await eventuallyReady())

        _ = try await admin.rows("ALTER ROLE \(unescaped: name) NOLOGIN")
        _ = try await admin.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(name)")
        #expect(await !replica.isMigrated())

        _ = try await admin.rows("ALTER ROLE \(unescaped: name) LOGIN")
        #expect(await eventuallyReady())

        await replica.close()
        _ = try await admin.rows("DROP SCHEMA \(unescaped: name) CASCADE")
        _ = try await admin.rows("REVOKE CREATE ON DATABASE \(unescaped: String(database)) FROM \(unescaped: name)")
        _ = try await admin.rows("DROP ROLE \(unescaped: name)")
        _ = try await admin.rows("DROP SCHEMA \(unescaped: name)_admin CASCADE")
        await admin.close()
    }

    @Test(.enabled(if: StoreBackend.postgresURL != nil))
    func brokersStartingTogetherMigrateOnceAndANewerDatabaseIsRefused() async throws {
        let url = try #require(StoreBackend.postgresURL)
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let opened = try await withThrowingTaskGroup(of: PostgresBrokerDatabase.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresBrokerDatabase.open(url: url, schema: schema) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(opened.map(\.migrationsApplied.count).sorted() == [0, 0, PostgresSchema.migrations.count])
        #expect(await opened[0].isMigrated())

        _ = try await opened[0].rows("INSERT INTO gridbroker_migration (identifier) VALUES ('2099-01-01 future')")
        await #expect(
            throws: StoreError.databaseIsNewer(path: opened[0].location, unknownMigrations: ["2099-01-01 future"])
        ) {
            try await PostgresBrokerDatabase.open(url: url, schema: schema)
        }
        _ = try await opened[0].rows("DROP SCHEMA \(unescaped: schema) CASCADE")
        for database in opened { await database.close() }
    }
}
