import Foundation
import Logging
import PostgresNIO
import Store

/// The broker's PostgreSQL database: a pool of connections that several brokers share.
///
/// Open it with ``open(url:schema:migrate:logger:)``; the pool's connections live until
/// ``close()``. Opening runs the pending migrations under an advisory lock, so brokers that start
/// together migrate once, and refuses a database written by a newer gridbroker.
public final class PostgresBrokerDatabase: Sendable {
    /// Where it is, without the password: for messages.
    public let location: String
    /// The migrations that opening applied, in order (empty when the schema was current).
    public let migrationsApplied: [String]
    let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// Checked first in every transaction of this view of the database; nil: nothing checked.
    private let leaseGuard: LeaseGuard?

    private init(
        location: String, client: PostgresClient, runner: Task<Void, Never>, migrationsApplied: [String],
        logger: Logger, leaseGuard: LeaseGuard? = nil
    ) {
        self.location = location
        self.client = client
        self.runner = runner
        self.migrationsApplied = migrationsApplied
        self.logger = logger
        self.leaseGuard = leaseGuard
    }

    /// The same database (its pool, its connections), every statement of which runs in a
    /// transaction that first checks `lease` and holds its row until the end
    /// (``PostgresConnection/holding(_:at:locked:)``): a statement made under a lease lost since is
    /// refused with ``StoreError/leaseLost(_:)``. Closing it closes the database.
    func guarded(by lease: LeaseGuard) -> PostgresBrokerDatabase {
        PostgresBrokerDatabase(
            location: location, client: client, runner: runner, migrationsApplied: migrationsApplied, logger: logger,
            leaseGuard: lease)
    }

    /// Connects to the database at `url` (`postgres://user:password@host:port/database`).
    ///
    /// - Parameters:
    ///   - schema: the schema to work in, created if need be (else the URL's `schema`, else `public`).
    ///   - migrate: apply pending migrations; when false, a database that needs them is refused.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` for a bad URL or a server that cannot be
    ///   reached, ``StoreError/databaseIsNewer(path:unknownMigrations:)`` for a database this build
    ///   must not touch.
    public static func open(url: String, schema: String? = nil, migrate: Bool = true, logger: Logger? = nil)
        async throws -> PostgresBrokerDatabase
    {
        let endpoint = try PostgresEndpoint(url: url)
        var configuration = endpoint.configuration
        let schema = schema ?? endpoint.schema
        if let schema {
            guard schema.wholeMatch(of: /[a-z_][a-z0-9_]{0,62}/) != nil else {
                throw StoreError.cannotOpen(
                    path: endpoint.location, reason: "schema '\(schema)' is not a lowercase SQL name ([a-z_][a-z0-9_]*)"
                )
            }
            configuration.options.additionalStartupParameters.append(("search_path", schema))
        }
        let logger = logger ?? Logger(label: "gridbroker.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        do {
            // The pool tries a server it cannot reach again and again, and its statements wait: one
            // connection of its own first, refused at once or given up after `connect_timeout`.
            try await PostgresConnection.connect(configuration: endpoint.single, id: 0, logger: logger).close()
            let applied = try await PostgresSchema.migrateIfNeeded(
                client, schema: schema, location: endpoint.location, migrate: migrate, logger: logger)
            return PostgresBrokerDatabase(
                location: endpoint.location, client: client, runner: runner, migrationsApplied: applied, logger: logger)
        } catch {
            runner.cancel()
            await runner.value
            if error is StoreError { throw error }
            throw StoreError.cannotOpen(path: endpoint.location, reason: Self.describe(error))
        }
    }

    /// Whether the schema is complete and the server answers within ``readinessLimit``: what
    /// `/readyz` reports. A replica that lost its database says so in that time.
    public func isMigrated() async -> Bool {
        let client = client
        return (try? await answer(within: Self.readinessLimit) { try await PostgresSchema.pending(client).isEmpty })
            == true
    }

    /// How long ``isMigrated()`` waits for the server.
    static let readinessLimit: Duration = .seconds(2)

    /// Closes every connection. Later use fails.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back
    /// when it throws (its error is rethrown as it is). A transaction the server aborted for a
    /// serialization failure or a deadlock is run again, up to five times.
    @discardableResult
    func transaction<Result: Sendable>(
        _ kind: TransactionKind = .readWrite, _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            let lease = try leaseGuard?.lease()
            do {
                return try await client.withConnection { connection in
                    try await connection.query(kind.begin, logger: logger)
                    do {
                        if let lease {
                            try await connection.holding(lease.lease, at: lease.at, locked: kind == .readWrite)
                        }
                        let result = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where error.isRetryable && attempt < 5 {
                attempt += 1
            }
        }
    }

    /// Runs `body` on one connection outside a transaction: one statement, no BEGIN and COMMIT
    /// round trips around it (in a transaction where the view is guarded by a lease).
    func withConnection<Result: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        if leaseGuard != nil { return try await transaction(.readWrite, body) }
        return try await client.withConnection { try await body($0) }
    }

    /// Runs one statement outside a transaction (in one where the view is guarded by a lease) and
    /// reads every row it returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        if leaseGuard != nil { return try await transaction { try await $0.rows(query) } }
        return try await client.query(query, logger: logger).collect()
    }

    /// An error in words for ``StoreError`` messages.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// How a transaction sees the database.
enum TransactionKind {
    /// Reads and writes, each statement seeing what was committed before it (READ COMMITTED).
    case readWrite
    /// Reads only, every one of them from one snapshot (REPEATABLE READ READ ONLY).
    case snapshot

    var begin: PostgresQuery {
        switch self {
        case .readWrite: "BEGIN"
        case .snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }
}

extension PSQLError {
    /// The SQLSTATE the server answered with, if it answered.
    var sqlState: String? { serverInfo?[.sqlState] }
    /// A serialization failure or a deadlock: the transaction may succeed when run again.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// A write that broke a UNIQUE constraint or a primary key.
    var isUniqueViolation: Bool { sqlState == "23505" }
}

extension PostgresConnection {
    /// Runs one statement and reads every row it returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: Self.quiet).collect()
    }

    /// Runs one statement whose rows, if any, are not needed.
    func run(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: Self.quiet).collect()
    }

    private static let quiet = Logger(label: "gridbroker.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
}
