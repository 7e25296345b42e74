import AgentRuntime
import ArgumentParser
import Logging
import NodeAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `gridbroker-agent run`: runs on each provisioned node, between the broker and the job's command.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job's command on this node: heartbeats, shards, checkpoints, output and stop, for the broker.",
        discussion: """
            The command gets NODE_RANK, NNODES, GPUS_PER_NODE, MASTER_ADDR, MASTER_PORT, GRIDBROKER_SHARDS_FILE,
            GRIDBROKER_PROGRESS_FILE, GRIDBROKER_CHECKPOINT_URI, GRIDBROKER_RESUME_FROM and GRIDBROKER_DATASET_URI; it
            writes its progress to the progress file as {"shards_done": [0, 1], "checkpoint": {"uri": "...",
            "at": "RFC 3339"}}. Its output goes to the agent's own and, in batches, to the broker.

            On a virtual machine the boot script gives --spec, a file only root reads with the broker, the node's
            token, the job's command, environment and image: the agent then runs the command in that image with
            docker. Otherwise the broker comes from --broker or $GRIDBROKER_URL, the token from
            $GRIDBROKER_AGENT_TOKEN, and the command follows --.
            """)

    @Option(help: ArgumentHelp("The node's spec file, written by its boot script.", valueName: "file"))
    var spec: String?

    @Option(help: ArgumentHelp("The broker's base URL (default: $GRIDBROKER_URL).", valueName: "url"))
    var broker: String?

    @Option(
        help: ArgumentHelp(
            "This node's agent token (default: $GRIDBROKER_AGENT_TOKEN, which is safer: command lines are public).",
            valueName: "token"))
    var token: String?

    @Option(
        help: ArgumentHelp(
            "Seconds between heartbeats (default: the spec's, else $GRIDBROKER_AGENT_INTERVAL, else 10).",
            valueName: "seconds"))
    var interval: Double?

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
        if spec == nil, command.isEmpty { throw ValidationError("give the command to run after -- (or --spec)") }
        if spec != nil, !command.isEmpty { throw ValidationError("--spec names the command: give none after --") }
        if let interval, !(interval > 0 && interval <= 3600) {
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
        let node = try node()
        guard BrokerURL(node.broker) != nil else {
            throw AgentFailure("'\(node.broker)' is not an http:// or https:// URL")
        }
        let folder = try prepareWorkDirectory()
        let seconds =
            interval ?? node.intervalSeconds
            ?? ProcessInfo.processInfo.environment["GRIDBROKER_AGENT_INTERVAL"].flatMap(Double.init) ?? 10
        guard seconds > 0, seconds <= 3600 else {
            throw AgentFailure("a heartbeat interval must be over 0 and at most 3600")
        }
        let settings = AgentSettings(
            interval: .milliseconds(Int64((seconds * 1000).rounded())),
            checkpointSignal: SignalName.parse(checkpointSignal) ?? SIGUSR1,
            shardsFile: folder + "/shards.txt", progressFile: folder + "/progress.json",
            address: address ?? NodeAddress.detect())
        // Progress left by an earlier run would report another run's shards as done.
        unlink(settings.progressFile)
        let mode: CommandLauncher.Mode =
            node.image.map { .container(image: $0, name: "gridbroker-\(node.nodeID)") } ?? .direct
        logger.notice("agent \(BrokerVersion.current) for \(node.broker), work folder \(folder)")
        let runner = AgentRunner(
            broker: node.broker, token: node.token,
            launcher: CommandLauncher(
                mode: mode, command: node.command, workDirectory: folder, jobVariables: Set(node.environment.keys)),
            environment: ProcessInfo.processInfo.environment.merging(node.environment) { $1 }, settings: settings,
            logger: logger)
        throw ExitCode(await runner.run())
    }

    /// The node as the spec file, or the options and the environment, describe it.
    private func node() throws -> NodeSpec {
        if let spec {
            guard let data = FileManager.default.contents(atPath: spec) else {
                throw AgentFailure("--spec \(spec): cannot be read")
            }
            do {
                return try JSONDecoder().decode(NodeSpec.self, from: data)
            } catch {
                throw AgentFailure("--spec \(spec): not a node spec (\(error))")
            }
        }
        let environment = ProcessInfo.processInfo.environment
        guard let url = broker ?? environment["GRIDBROKER_URL"], !url.isEmpty else {
            throw AgentFailure("no broker: give --broker or set GRIDBROKER_URL")
        }
        guard let token = token ?? environment["GRIDBROKER_AGENT_TOKEN"], !token.isEmpty else {
            throw AgentFailure("no agent token: set GRIDBROKER_AGENT_TOKEN or give --token")
        }
        return NodeSpec(
            broker: url, token: token, nodeID: environment["GRIDBROKER_NODE_ID"] ?? "node", image: nil,
            command: command, environment: [:])
    }

    private func prepareWorkDirectory() throws -> String {
        let folder =
            workDir
            ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/gridbroker-agent-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw AgentFailure("work folder \(folder): cannot be created")
        }
        return folder
    }
}

/// A failure the agent reports in one line, exiting non-zero.
struct AgentFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
