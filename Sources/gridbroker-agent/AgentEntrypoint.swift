import ArgumentParser
import NodeAgent

/// `gridbroker-agent`: the node agent, one executable that needs nothing but the C library. The
/// broker serves it (`GET /v1/agent/download`) to every node it launches.
@main
struct AgentEntrypoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridbroker-agent",
        abstract: "The gridbroker node agent: runs a job's command on a node, or lends an owner's machine to a pool.",
        version: BrokerVersion.current,
        subcommands: [RunCommand.self, HostCommand.self],
        defaultSubcommand: RunCommand.self)
}
