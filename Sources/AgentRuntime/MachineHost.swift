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

/// An owner's machine in a pool, from the machine's side: it registers with the pool's join token
/// and heartbeats with the machine token it gets back, so that its offer stays in the market. It
/// only ever calls the broker, so it works from behind NAT. A node the broker places here comes
/// in a heartbeat's answer and runs as on any VM: the node agent (this executable, `run --spec`)
/// with the node's own spec and token, in a folder of its own; a stop is SIGTERM to that agent,
/// which stops the job's command and reports.
///
/// The owner takes the machine back with notice: `host reclaim` (a file in the work folder, until
/// `host release` removes it), `--reclaim-when` (a command run every heartbeat; exit 0 writes that
/// file), or SIGTERM/SIGINT (then the host agent exits once its nodes are gone). The broker hears of
/// it in the next heartbeat and moves the nodes elsewhere; whatever still runs half a minute
/// before the deadline is asked to stop, and whatever runs at the deadline is killed. A broker that
/// no longer knows the machine (its join token revoked, its pool deleted) stops it too.
public final class MachineHost: Sendable {
    let broker: String
    let joinToken: String
    let registration: MachineRegistrationRequest
    /// Where each node's folder goes.
    let workDirectory: String
    /// Run nodes' commands directly, not in their image (machines without Docker).
    let noDocker: Bool
    /// The notice a reclaim gives, in seconds.
    let noticeSeconds: Int
    /// A shell command whose exit status 0 means the owner wants the machine now.
    let reclaimWhen: String?
    let client: BrokerClient
    let logger: Logger
    private let nodes = Mutex(Nodes())

    /// The nodes this machine runs, those that ended and are not yet reported, and the owner's
    /// reclaim.
    struct Nodes {
        var running: [String: ChildProcess] = [:]
        var ended: Set<String> = []
        /// Nodes already asked to stop for the reclaim.
        var stopped: Set<String> = []
        var reclaim: Reclaim?
    }

    /// The owner takes the machine back by `deadline`; `exit` when asked by a signal.
    struct Reclaim {
        var deadline: ContinuousClock.Instant
        var exit: Bool
    }

    /// How long before the deadline a node is asked to stop (its agent gives its command 30 s).
    static let stopLead = Duration.seconds(35)

    /// The file whose presence says the owner took the machine back (its text: the notice in seconds).
    public static func reclaimFile(in workDirectory: String) -> String { workDirectory + "/reclaim" }

    public init(
        broker: String, joinToken: String, registration: MachineRegistrationRequest, workDirectory: String,
        noDocker: Bool, noticeSeconds: Int = 120, reclaimWhen: String? = nil, client: BrokerClient = BrokerClient(),
        logger: Logger
    ) {
        self.broker = broker
        self.joinToken = joinToken
        self.registration = registration
        self.workDirectory = workDirectory
        self.noDocker = noDocker
        self.noticeSeconds = noticeSeconds
        self.reclaimWhen = reclaimWhen
        self.client = client
        self.logger = logger
    }

    /// Why the machine stopped.
    public enum Ending: Sendable, Equatable {
        /// SIGTERM or SIGINT.
        case asked
        /// The broker refused the machine's token: the message says why.
        case refused(String)
    }

    /// Registers, then heartbeats until asked to stop or refused. A broker that cannot be reached
    /// is tried again (after 1 s, doubling up to the interval); a refused registration throws.
    public func run() async throws(AgentHTTPError) -> Ending {
        let registered = try await register()
        logger.notice(
            "registered as \(registered.offer) (machine \(registered.machine)); heartbeat every \(registered.heartbeatIntervalSeconds) s"
        )
        let interval = Duration.seconds(max(1, registered.heartbeatIntervalSeconds))
        let notice = Duration.seconds(noticeSeconds)
        let signals = TerminationSignals { [self] in
            logger.notice("asked to stop: the machine is taken back in \(noticeSeconds) s")
            nodes.withLock { nodes in
                let deadline = nodes.reclaim?.deadline ?? ContinuousClock.now + notice
                nodes.reclaim = Reclaim(deadline: deadline, exit: true)
            }
        }
        defer { signals.cancel() }
        let ending = await heartbeats(token: registered.token, interval: interval)
        await stopNodes()
        return ending
    }

    /// Stops every node (SIGTERM to its agent, which stops the command and reports) and waits for
    /// them to end, at most a minute.
    private func stopNodes() async {
        let running = nodes.withLock { Array($0.running.values) }
        guard !running.isEmpty else { return }
        logger.notice("stopping \(running.count) node(s)")
        for child in running { child.signal(SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, nodes.withLock({ !$0.running.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for child in nodes.withLock({ Array($0.running.values) }) { child.signalGroup(SIGKILL) }
    }

    private func register() async throws(AgentHTTPError) -> MachineRegistrationAnswer {
        let body = try await client.call(
            .POST, "/v1/hosts/register", broker: broker, token: joinToken, json: registration)
        guard let answer = try? JSONDecoder().decode(MachineRegistrationAnswer.self, from: Data(body)) else {
            throw .failed("the broker's answer to the registration is not one")
        }
        return answer
    }

    /// Heartbeats every `interval` until cancelled or refused.
    private func heartbeats(token: String, interval: Duration) async -> Ending {
        var wait = interval
        while !Task.isCancelled {
            checkReclaim()
            enforceReclaim()
            let now = ContinuousClock.now
            let (report, done) = nodes.withLock { nodes in
                let left = nodes.reclaim.map { max(0, Int(($0.deadline - now).components.seconds)) }
                let report = MachineHeartbeatReport(
                    nodes: nodes.running.mapValues { _ in true }.merging(nodes.ended.map { ($0, false) }) { $1 },
                    reclaimInSeconds: left)
                return (report, nodes.reclaim?.exit == true && nodes.running.isEmpty)
            }
            do throws(AgentHTTPError) {
                let body = try await client.call(
                    .POST, "/v1/hosts/heartbeat", broker: broker, token: token, json: report)
                guard let answer = try? JSONDecoder().decode(MachineHeartbeatAnswer.self, from: Data(body)) else {
                    throw .failed("the broker's answer to the heartbeat is not one")
                }
                // Reported: the ended nodes are forgotten.
                nodes.withLock { $0.ended.subtract(report.nodes.filter { !$0.value }.keys) }
                if done { return .asked }
                carryOut(answer)
                wait = interval
            } catch {
                if case .refused(let status, let message) = error, status == 401 || status == 403 {
                    logger.error("the broker no longer knows this machine: \(message)")
                    return .refused(message)
                }
                logger.warning("heartbeat failed: \(error); trying again")
                wait = min(max(.seconds(1), wait == interval ? .seconds(1) : wait * 2), interval)
            }
            // While the machine is being taken back, its deadline is watched closely.
            let reclaiming = nodes.withLock { $0.reclaim != nil }
            try? await Task.sleep(for: reclaiming ? min(wait, .seconds(1)) : wait)
        }
        return .asked
    }

    /// The owner's `host reclaim` file and `--reclaim-when` command: start a reclaim, or end one
    /// (`host release` removed the file; a reclaim by signal does not end).
    private func checkReclaim() {
        let file = Self.reclaimFile(in: workDirectory)
        if let reclaimWhen, nodes.withLock({ $0.reclaim == nil }), access(file, F_OK) != 0,
            system(reclaimWhen) == 0
        {
            logger.notice("--reclaim-when says the owner wants the machine")
            try? Data("\(noticeSeconds)\n".utf8).write(to: URL(fileURLWithPath: file))
        }
        let asked = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }
        let seconds = asked.flatMap { Int($0.filter(\.isNumber)) } ?? noticeSeconds
        nodes.withLock { nodes in
            switch (asked, nodes.reclaim) {
            case (.some, nil):
                logger.notice("the owner takes the machine back in \(seconds) s")
                nodes.reclaim = Reclaim(deadline: ContinuousClock.now + .seconds(seconds), exit: false)
            case (nil, let reclaim?) where !reclaim.exit:
                logger.notice("the owner lends the machine again")
                nodes.reclaim = nil
                nodes.stopped = []
            default:
                break
            }
        }
    }

    /// Half a minute before the deadline, asks each node still running to stop; at the deadline,
    /// kills whatever of it still runs.
    private func enforceReclaim() {
        let now = ContinuousClock.now
        let (toStop, toKill) = nodes.withLock { nodes -> ([ChildProcess], [String]) in
            guard let reclaim = nodes.reclaim else { return ([], []) }
            if now >= reclaim.deadline { return ([], Array(nodes.running.keys)) }
            guard now >= reclaim.deadline - Self.stopLead else { return ([], []) }
            let fresh = nodes.running.filter { !nodes.stopped.contains($0.key) }
            nodes.stopped.formUnion(fresh.keys)
            return (Array(fresh.values), [])
        }
        for child in toStop { child.signal(SIGTERM) }
        for node in toKill where MarkedProcesses.signal(SIGKILL, marked: node) > 0 {
            logger.warning("node \(node) still ran at the owner's deadline: killed")
        }
    }

    /// Starts the nodes the broker placed here and stops those it asks to stop.
    private func carryOut(_ answer: MachineHeartbeatAnswer) {
        for spec in answer.launches where nodes.withLock({ $0.running[spec.nodeID] == nil }) {
            do {
                try start(spec)
            } catch {
                logger.error("cannot start node \(spec.nodeID): \(error)")
                _ = nodes.withLock { $0.ended.insert(spec.nodeID) }
            }
        }
        for node in answer.stops {
            let child = nodes.withLock { nodes in
                let child = nodes.running[node]
                if child == nil { nodes.ended.insert(node) }
                return child
            }
            if let child {
                logger.notice("stopping node \(node)")
                child.signal(SIGTERM)
            }
        }
    }

    /// Runs the node agent for `spec` in a folder of its own, as a VM's boot script would.
    private func start(_ spec: NodeSpec) throws {
        var spec = spec
        if noDocker { spec.image = nil }
        guard Self.isSafeName(spec.nodeID) else { throw AgentHTTPError.failed("'\(spec.nodeID)' is no node id") }
        let folder = workDirectory + "/" + spec.nodeID
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST, mkdir(folder + "/work", 0o700) == 0 || errno == EEXIST
        else { throw AgentHTTPError.failed("cannot make \(folder): \(String(cString: strerror(errno)))") }
        let specPath = folder + "/node.json"
        let json = try JSONEncoder().encode(spec)
        // The spec holds the node's token: only this user reads it.
        let descriptor = open(specPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw AgentHTTPError.failed("cannot write \(specPath)") }
        _ = json.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        let node = spec.nodeID
        let logger = self.logger
        let child = try ChildProcess(
            executable: Self.ownExecutable(),
            arguments: ["gridbroker-agent", "run", "--spec", specPath, "--work-dir", folder + "/work"],
            environment: [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", MarkedProcesses.variable: node,
            ],
            onLine: { _, line in logger.info("[\(node)] \(line)") },
            onExit: { [self] code in
                logger.notice("node \(node) ended (\(code))")
                self.nodes.withLock { nodes in
                    nodes.running[node] = nil
                    nodes.ended.insert(node)
                }
            })
        nodes.withLock { $0.running[node] = child }
        logger.notice("started node \(node)")
    }

    /// Node ids are the broker's (`node_…`): letters, digits, '_' and '-' only, so one is a folder name.
    static func isSafeName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// This executable, to start node agents with.
    static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
