import Foundation

/// What can go wrong in the store, in words an operator can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened as a gridbroker database.
    case cannotOpen(path: String, reason: String)
    /// The data directory cannot be created or written.
    case unusableDataDirectory(path: String, reason: String)
    /// The database was migrated by a newer gridbroker: this build must not touch it.
    case databaseIsNewer(path: String, unknownMigrations: [String])
    /// The database has not been migrated to this build's schema yet.
    case notMigrated(path: String, pendingMigrations: [String])
    /// A record that was asked for does not exist.
    case notFound(entity: String, id: String)
    /// A state change the domain's state machine does not allow.
    case invalidTransition(String)
    /// A stored row does not make sense to this build (a value outside its type).
    case corruptRecord(String)
    /// A write would break a uniqueness rule (same name, same idempotency key, ...).
    case conflict(String)
    /// A write made under a lease that another broker holds now: it was not made.
    case leaseLost(String)
    /// A launch the team's budget has no room for (``BrokerCore/LaunchBudget``): nothing was written.
    case overBudget(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open database \(path): \(reason)"
        case .unusableDataDirectory(let path, let reason):
            return "data_dir \(path): \(reason)"
        case .databaseIsNewer(let path, let unknown):
            return "database \(path) was written by a newer gridbroker (unknown migrations: "
                + unknown.joined(separator: ", ") + "); upgrade gridbroker or use another data_dir"
        case .notMigrated(let path, let pending):
            return "database \(path) needs migrations (\(pending.joined(separator: ", "))): run 'gridbroker migrate'"
        case .notFound(let entity, let id):
            return "\(entity) \(id) not found"
        case .invalidTransition(let message):
            return message
        case .conflict(let message):
            return message
        case .leaseLost(let name):
            return "the lease '\(name)' is no longer this broker's: nothing was written"
        case .overBudget(let reason):
            return reason
        case .corruptRecord(let message):
            return "corrupt record: \(message)"
        }
    }
}
