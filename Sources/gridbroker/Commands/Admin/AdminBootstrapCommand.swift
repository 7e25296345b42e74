import ArgumentParser
import Broker
import BrokerCore
import Foundation
import Store

/// `gridbroker admin bootstrap`: the first admin token, issued on the host by opening the database
/// directly (the daemon may be running). Once an unrevoked admin token exists it refuses, unless
/// `--again` (a lost token) asks for another.
struct AdminBootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Issue the first admin token (prints it once, alone on standard output).")

    @OptionGroup var location: DatabaseOption
    @Option(help: "The token's name.") var name = "bootstrap"
    @Flag(help: "Issue another admin token even though one exists (the old ones stay valid).") var again = false

    func run() async throws {
        let store = try await location.target(prepare: true).open().store
        let tokens = store.tokens
        let issued: APITokens.Issued
        do {
            if try await tokens.hasActiveAdmin(), !again {
                throw CommandFailure(
                    "an admin token already exists; issue more with 'gridbroker admin tokens issue NAME --admin', "
                        + "or run 'gridbroker admin bootstrap --again' if it is lost")
            }
            issued = try await APITokens(tokens: tokens, clock: SystemClock()).issue(
                name: name, role: .admin, team: nil)
        } catch {
            try? await store.close()
            throw error as? CommandFailure ?? CommandFailure(error)
        }
        try? await store.close()
        FileHandle.standardError.write(
            Data("issued admin token \(issued.record.id) '\(name)'; it is shown only now:\n".utf8))
        print(issued.token)
    }
}
