import Foundation
import GRDB

/// Operators' tools on a database file that a running daemon may be writing: an online backup
/// and an integrity check. Both open the file read-only in their own connection (WAL lets them
/// read while the daemon writes).
public enum DatabaseMaintenance {
    /// Copies the database at `source` to a new file `destination` with SQLite's online backup:
    /// a consistent snapshot even while the daemon writes. An existing `destination` is refused.
    public static func backup(from source: String, to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError.cannotOpen(path: destination, reason: "the file exists; choose a new path")
        }
        let reader = try openReadOnly(source)
        do {
            let target = try DatabaseQueue(path: destination)
            try reader.backup(to: target)
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw StoreError.cannotOpen(path: destination, reason: BrokerDatabase.describe(error))
        }
    }

    /// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` find wrong; empty when the
    /// database is sound.
    public static func problems(at path: String) throws -> [String] {
        let reader = try openReadOnly(path)
        do {
            return try reader.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row -> String in
                    let table: String = row[0]
                    let rowID: Int64? = row[1]
                    let parent: String = row[2]
                    return "\(table) row \(rowID.map(String.init) ?? "?") refers to a missing \(parent)"
                }
                return integrity + foreignKeys
            }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: BrokerDatabase.describe(error))
        }
    }

    private static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "no such file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: BrokerDatabase.describe(error))
        }
    }
}
