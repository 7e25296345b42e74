import CurlHTTP
import Foundation
import Logging
import NodeAgent

/// Carries out an ``AgentMachine``'s actions: heartbeats over HTTP, the shards file, the command as a
/// child process, signals, and feeds what happens back to the machine as events.
struct AgentRunner {
    /// The broker's base URL, without a trailing slash.
    let broker: String
    /// Sent as a bearer token; never logged.
    let token: String
    let command: [String]
    let settings: AgentSettings
    let logger: Logger

    /// Runs until the machine says to exit; returns the agent's exit code.
    func run() async -> Int32 {
        let (events, continuation) = AsyncStream.makeStream(of: AgentEvent.self)
        let client = CurlHTTPClient()
        let heartbeats = HeartbeatClient(client: client)
        let clock = ContinuousClock()
        let start = clock.now
        var machine = AgentMachine(settings: settings)
        var progress = ProgressFileReader(path: settings.progressFile)
        var child: ChildCommand?
        let terminations = TerminationSignals { continuation.yield(.terminationRequested) }
        let code = await withDiscardingTaskGroup { group -> Int32 in
            var actions = machine.start()
            var armed: Duration?
            var iterator = events.makeAsyncIterator()
            while true {
                for action in actions {
                    switch action {
                    case .sendHeartbeat(let status, let exitCode):
                        let report = HeartbeatReport(
                            status: status, exitCode: exitCode, progress: progress.read(), address: settings.address)
                        group.addTask {
                            continuation.yield(await heartbeats.send(report, broker: broker, token: token))
                        }
                    case .writeShards(let shards):
                        writeShards(shards)
                    case .startCommand(let variables):
                        child = startCommand(variables) { continuation.yield(.commandExited(code: $0)) }
                        if child == nil { continuation.yield(.commandExited(code: 127)) }
                    case .signal(let signal):
                        logger.info("sending signal \(signal) to the command")
                        child?.signal(signal)
                    case .exit(let code):
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
        await client.shutdown()
        return code
    }

    /// Writes the shards file whole (a rename), so the command never reads half of it.
    private func writeShards(_ shards: [Int]) {
        let text = shards.map { "\($0)\n" }.joined()
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: settings.shardsFile), options: .atomic)
        } catch {
            logger.error("cannot write the shards file \(settings.shardsFile): \(error)")
        }
    }

    private func startCommand(
        _ variables: [String: String], onExit: @escaping @Sendable (Int32) -> Void
    ) -> ChildCommand? {
        let environment = ProcessInfo.processInfo.environment.filter { !CommandEnvironment.withheld.contains($0.key) }
            .merging(variables) { $1 }
        do {
            let child = try ChildCommand(command, environment: environment, onExit: onExit)
            logger.notice("started \(command[0]) (pid \(child.processIdentifier))")
            return child
        } catch {
            logger.error("cannot start \(command[0]): \(error)")
            return nil
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
        case .heartbeatAnswered, .timer:
            break
        }
    }
}
