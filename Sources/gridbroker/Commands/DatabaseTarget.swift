import Broker
import Logging
import PostgresStore
import Store

/// The database a command works on: PostgreSQL when `database.url` names one, else the embedded
/// SQLite file.
enum DatabaseTarget {
    case sqlite(path: String)
    case postgres(url: String)

    init(_ configuration: BrokerConfiguration) {
        if let url = configuration.database.url {
            self = .postgres(url: url)
        } else {
            self = .sqlite(path: configuration.databasePath)
        }
    }

    /// Opens it, migrated; also returns the migrations that opening applied.
    func open(logger: Logger? = nil) async throws -> (store: BrokerStore, migrationsApplied: [String]) {
        do {
            switch self {
            case .sqlite(let path):
                let database = try BrokerDatabase.open(at: path, migrate: true, logger: logger)
                return (.sqlite(database), database.migrationsApplied)
            case .postgres(let url):
                let database = try await PostgresBrokerDatabase.open(url: url, migrate: true, logger: logger)
                return (.postgres(database), database.migrationsApplied)
            }
        } catch {
            throw CommandFailure(error)
        }
    }

    /// The SQLite file, for the commands that work on the file itself (backup, check); with
    /// PostgreSQL, a failure that says what to use instead.
    func sqlitePath(for command: String) throws -> String {
        switch self {
        case .sqlite(let path):
            return path
        case .postgres:
            throw CommandFailure(
                "the database is PostgreSQL (database.url): '\(command)' works on the SQLite file only; "
                    + "use pg_dump for a backup and PostgreSQL's amcheck for a check")
        }
    }
}
