import Logging
import NodeAgent
import Synchronization

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

/// Carries out an ``AgentMachine``'s actions: heartbeats, the job's shard objects, the shards file,
/// the command (see ``CommandLauncher``) and its output (to the agent's own output and, in batches,
/// to the broker), signals; and feeds what happens back to the machine as events.
public struct AgentRunner: Sendable {
    /// The broker's base URL, without a trailing slash.
    public let broker: String
    /// Sent as a bearer token; never logged, never given to the command.
    public let token: String
    public let launcher: CommandLauncher
    /// The command's own environment before the agent adds the gang's variables.
    public let environment: [String: String]
    public let settings: AgentSettings
    public let logger: Logger
    let client: BrokerClient

    public init(
        broker: String, token: String, launcher: CommandLauncher, environment: [String: String],
        settings: AgentSettings, logger: Logger
    ) {
        self.broker = broker.hasSuffix("/") ? String(broker.dropLast()) : broker
        self.token = token
        self.launcher = launcher
        self.environment = environment.filter { !CommandEnvironment.withheld.contains($0.key) }
        self.settings = settings
        self.logger = logger
        client = BrokerClient()
    }

    /// How long the command's last output may take to reach the broker before the agent exits.
    static let finalLogPatience: Duration = .seconds(10)

    /// Runs until the machine says to exit; returns the agent's exit code.
    public func run() async -> Int32 {
        let (events, continuation) = AsyncStream.makeStream(of: AgentEvent.self)
        let clock = ContinuousClock()
        let start = clock.now
        let logs = LogShipper(client: client, broker: broker, token: token)
        let objects = ShardObjects()
        var machine = AgentMachine(settings: settings)
        var progress = ProgressFileReader(path: settings.progressFile)
        var command: RunningCommand?
        let terminations = TerminationSignals { continuation.yield(.terminationRequested) }
        let code = await withDiscardingTaskGroup { group -> Int32 in
            group.addTask { await logs.run() }
            var actions = machine.start()
            var armed: Duration?
            var iterator = events.makeAsyncIterator()
            while true {
                for action in actions {
                    switch action {
                    case .sendHeartbeat(let status, let exitCode):
                        let report = HeartbeatReport(
                            status: status, exitCode: exitCode, progress: progress.read(), address: settings.address)
                        group.addTask { continuation.yield(await client.send(report, broker: broker, token: token)) }
                    case .fetchDataset:
                        group.addTask {
                            do {
                                let answer = try await client.dataset(broker: broker, token: token)
                                objects.store(answer.objects)
                                continuation.yield(.datasetFetched)
                            } catch {
                                continuation.yield(.datasetFetchFailed(reason: "\(error)"))
                            }
                        }
                    case .writeShards(let shards):
                        writeShards(ShardsFile.text(shards, objects: objects.current))
                    case .startCommand(let variables):
                        command = await startCommand(variables, logs: logs) {
                            continuation.yield(.commandExited(code: $0))
                        }
                        if command == nil { continuation.yield(.commandExited(code: 127)) }
                    case .signal(let signal):
                        logger.info("sending signal \(signal) to the command")
                        await command?.signal(signal)
                    case .exit(let code):
                        await logs.flush(within: Self.finalLogPatience)
                        group.cancelAll()
                        return code
                    }
                }
                if let deadline = machine.nextDeadline, deadline != armed {
                    armed = deadline
                    group.addTask {
                        try? await clock.sleep(until: start + deadline)
                        continuation.yield(.timer)
                    }
                }
                guard let event = await iterator.next() else { return 1 }
                if event == .timer { armed = nil }
                let now = clock.now - start
                actions = machine.handle(event, at: now)
                log(event, retryIn: machine.nextDeadline.map { $0 - now })
            }
        }
        terminations.cancel()
        return code
    }

    /// Writes the shards file whole (a rename), so the command never reads half of it.
    private func writeShards(_ text: String) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: settings.shardsFile), options: .atomic)
        } catch {
            logger.error("cannot write the shards file \(settings.shardsFile): \(error)")
        }
    }

    private func startCommand(
        _ variables: [String: String], logs: LogShipper, onExit: @escaping @Sendable (Int32) -> Void
    ) async -> RunningCommand? {
        do {
            let running = try await launcher.start(
                variables: variables, environment: environment.merging(variables) { $1 },
                onLine: { stream, line in
                    Self.echo(line, to: stream)
                    logs.append(line, stream: stream)
                }, onExit: onExit)
            logger.notice("started \(launcher.command[0]) (pid \(running.processIdentifier))")
            return running
        } catch {
            logger.error("\(error)")
            logs.append("[gridbroker-agent] \(error)", stream: .stderr)
            return nil
        }
    }

    /// The command's line on the agent's own output too (the machine's journal, `docker logs`).
    private static func echo(_ line: String, to stream: OutputStream) {
        var text = line
        text.append("\n")
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(stream == .stdout ? 1 : 2, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    private func log(_ event: AgentEvent, retryIn delay: Duration?) {
        switch event {
        case .heartbeatFailed(let reason):
            let retry = delay.map { "; next try in \($0)" }
            logger.warning("heartbeat failed: \(reason)\(retry ?? "")")
        case .heartbeatAnswered(let answer) where !answer.commands.isEmpty:
            logger.info("broker asks: \(answer.commands.joined(separator: ", "))")
        case .commandExited(let code):
            logger.notice("command exited with code \(code)")
        case .terminationRequested:
            logger.notice("asked to terminate: stopping the command")
        case .datasetFetchFailed(let reason):
            logger.warning("cannot fetch the job's shard objects: \(reason); asking again at the next heartbeat")
        case .heartbeatAnswered, .timer, .datasetFetched:
            break
        }
    }
}

/// The job's shard objects once fetched, shared with the task that fetches them.
private final class ShardObjects: Sendable {
    private let objects = Mutex<[Int: [String]]>([:])

    var current: [Int: [String]] { objects.withLock { $0 } }

    func store(_ new: [Int: [String]]) {
        objects.withLock { $0 = new }
    }
}
