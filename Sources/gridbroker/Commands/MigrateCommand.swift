import ArgumentParser
import Broker
import Store

/// `gridbroker migrate`: bring a database to this build's schema, then exit.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or migrate the database to this version's schema, then exit.")

    @OptionGroup var location: DatabaseOption

    func run() throws {
        let path = try location.path(prepare: true)
        let store = try CommandFailure.reporting { try BrokerDatabase.open(at: path, migrate: true) }
        try CommandFailure.reporting { try store.close() }
        if store.migrationsApplied.isEmpty {
            print("\(path): up to date")
        } else {
            print("\(path): applied \(store.migrationsApplied.joined(separator: ", "))")
        }
    }
}
