import ArgumentParser
import BrokerCore
import Foundation
import Logging
import NodeAgent

/// `gridbroker agent`: runs on each provisioned node, between the broker and the training command.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a training command on a node: heartbeats, shards, checkpoints and stop, for the broker.",
        discussion: """
            The command gets NODE_RANK, NNODES, GPUS_PER_NODE, MASTER_ADDR, MASTER_PORT, GRIDBROKER_SHARDS_FILE,
            GRIDBROKER_PROGRESS_FILE, GRIDBROKER_CHECKPOINT_URI and GRIDBROKER_RESUME_FROM; it writes its progress to
            the progress file as {"shards_done": [0, 1], "checkpoint": {"uri": "...", "at": "RFC 3339"}}.
            """)

    @Option(help: ArgumentHelp("The broker's base URL (default: $GRIDBROKER_URL).", valueName: "url"))
    var broker: String?

    @Option(
        help: ArgumentHelp(
            "This node's agent token (default: $GRIDBROKER_AGENT_TOKEN, which is safer: command lines are public).",
            valueName: "token"))
    var token: String?

    @Option(help: "Seconds between heartbeats.") var interval: Double = 10

    @Option(help: "The signal that asks the command for a checkpoint.") var checkpointSignal = "USR1"

    @Option(
        help: ArgumentHelp(
            "Where the shards and progress files live (default: a new temporary folder).", valueName: "dir"))
    var workDir: String?

    @Option(
        help: ArgumentHelp(
            "Where the job's other nodes reach this one (default: the first IPv4 address that is up and not loopback).",
            valueName: "address"))
    var address: String?

    @Argument(parsing: .postTerminator, help: "The command to run, after --.") var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command to run after --") }
        guard interval > 0, interval <= 3600 else {
            throw ValidationError("--interval must be over 0 and at most 3600")
        }
        if let address, !NodeAddressSyntax.isValid(address) {
            throw ValidationError(
                "--address '\(address)': give an IP address or a host name (1-253 ASCII letters, digits, '.-:_%')")
        }
        guard SignalName.parse(checkpointSignal) != nil else {
            throw ValidationError(
                "--checkpoint-signal \(checkpointSignal): not a signal name (USR1, USR2, …) or number")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let logger = Logger(label: "gridbroker-agent")
        let environment = ProcessInfo.processInfo.environment
        guard let url = broker ?? environment["GRIDBROKER_URL"], !url.isEmpty else {
            throw CommandFailure("no broker: give --broker or set GRIDBROKER_URL")
        }
        guard let token = token ?? environment["GRIDBROKER_AGENT_TOKEN"], !token.isEmpty else {
            throw CommandFailure("no agent token: set GRIDBROKER_AGENT_TOKEN or give --token")
        }
        let folder = try CommandFailure.reporting { try prepareWorkDirectory() }
        let settings = AgentSettings(
            interval: .milliseconds(Int64((interval * 1000).rounded())),
            checkpointSignal: SignalName.parse(checkpointSignal) ?? SIGUSR1,
            shardsFile: folder.appendingPathComponent("shards.txt").path,
            progressFile: folder.appendingPathComponent("progress.json").path,
            address: address ?? NodeAddress.detect())
        // Progress left by an earlier run would report another run's shards as done.
        try? FileManager.default.removeItem(atPath: settings.progressFile)
        logger.notice("agent for \(url), work folder \(folder.path)")
        let runner = AgentRunner(
            broker: url.hasSuffix("/") ? String(url.dropLast()) : url, token: token, command: command,
            settings: settings, logger: logger)
        throw ExitCode(await runner.run())
    }

    private func prepareWorkDirectory() throws -> URL {
        let folder =
            workDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-agent-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("work folder \(folder.path): cannot be created")
        }
        return folder
    }
}
