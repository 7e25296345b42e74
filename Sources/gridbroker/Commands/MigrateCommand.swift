import ArgumentParser
import Broker
import Store

/// `gridbroker migrate`: bring a database to this build's schema, then exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or migrate the database to this version's schema, then exit.")

    @OptionGroup var location: DatabaseOption

    func run() async throws {
        let (store, applied) = try await location.target(prepare: true).open()
        do {
            try await store.close()
        } catch {
            throw CommandFailure(error)
        }
        if applied.isEmpty {
            print("\(store.location): up to date")
        } else {
            print("\(store.location): applied \(applied.joined(separator: ", "))")
        }
    }
}
