import ArgumentParser
import Broker
import Foundation

/// `gridbroker agent`: the node agent, which is its own executable (`gridbroker-agent`, beside this
/// one): the same arguments are handed over to it.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a training command on a node (the gridbroker-agent executable beside this one).",
        discussion: "Every argument is handed to gridbroker-agent; see gridbroker-agent run --help.")

    @Argument(parsing: .captureForPassthrough, help: "gridbroker-agent's arguments.") var arguments: [String] = []

    func run() throws {
        let path = AgentBinary.expectedPath
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        throw CommandFailure("cannot run \(path): \(String(cString: strerror(errno)))")
    }
}
