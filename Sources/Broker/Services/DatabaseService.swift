import Logging
import ServiceLifecycle
import Store

/// Owns the database for the daemon's lifetime and closes it cleanly (write-ahead log folded back
/// into the file) once every service started after it has stopped.
///
/// List it first in the `ServiceGroup`: services shut down in reverse order, so the HTTP server
/// finishes its in-flight requests before the database goes away.
public struct DatabaseService: Service {
    private let store: BrokerStore
    private let logger: Logger

    public init(store: BrokerStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        // Returns on graceful shutdown; throws CancellationError if the group is cancelled instead.
        try? await gracefulShutdown()
        do {
            try await store.close()
            logger.info("database closed", metadata: ["database": "\(store.location)"])
        } catch {
            logger.error(
                "database did not close cleanly", metadata: ["database": "\(store.location)", "error": "\(error)"])
            throw error
        }
    }
}
