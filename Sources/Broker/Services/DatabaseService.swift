import Logging
import ServiceLifecycle
import Store

/// Owns the database for the daemon's lifetime and closes it cleanly (write-ahead log folded back
/// into the file) once every service started after it has stopped.
///
/// List it first in the `ServiceGroup`: services shut down in reverse order, so the HTTP server
/// finishes its in-flight requests before the database goes away.
public struct DatabaseService: Service {
    private let database: BrokerDatabase
    private let logger: Logger

    public init(database: BrokerDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func run() async throws {
        // Returns on graceful shutdown; throws CancellationError if the group is cancelled instead.
        try? await gracefulShutdown()
        do {
            try database.close()
            logger.info("database closed", metadata: ["path": "\(database.path)"])
        } catch {
            logger.error("database did not close cleanly", metadata: ["path": "\(database.path)", "error": "\(error)"])
            throw error
        }
    }
}
