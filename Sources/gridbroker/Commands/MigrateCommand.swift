import ArgumentParser
import Broker
import Store

/// `gridbroker migrate`: bring a database to this build's schema, then exit.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or migrate the database to this version's schema, then exit.")

    @OptionGroup var options: ConfigOption

    @Option(
        name: .long, help: ArgumentHelp("The database file (default: <data_dir>/gridbroker.sqlite).", valueName: "path")
    )
    var database: String?

    func run() throws {
        let path: String
        if let database {
            path = database
        } else {
            let configuration = try options.load()
            try CommandFailure.reporting { try DataDirectory.prepare(configuration.dataDirectory) }
            path = configuration.databasePath
        }
        let store = try CommandFailure.reporting { try BrokerDatabase.open(at: path, migrate: true) }
        try CommandFailure.reporting { try store.close() }
        if store.migrationsApplied.isEmpty {
            print("\(path): up to date")
        } else {
            print("\(path): applied \(store.migrationsApplied.joined(separator: ", "))")
        }
    }
}
