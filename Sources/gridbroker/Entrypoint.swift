import ArgumentParser
import Broker
import CurlHTTP
import NodeAgent

/// `gridbroker`: the daemon and the tools around it.
@main
struct GridBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridbroker",
        abstract: "A broker for GPU compute: watches the market, places training jobs, survives spot.",
        version: BrokerVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SimCommand.self, OffersCommand.self, GPUsCommand.self,
            QuoteCommand.self, SubmitCommand.self, JobsCommand.self, JobCommand.self, LogsCommand.self,
            CancelCommand.self,
            UsageCommand.self, AdminCommand.self, DBCommand.self, AgentCommand.self, SimulatePolicyCommand.self,
        ]
    )

    static func main() async {
        // libcurl's global state must be set up before any other thread exists.
        CurlGlobal.initialize()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
