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

/// `gridbroker-agent host [lend]|reclaim|release`: an owner's machine and its GPUs in a pool.
struct HostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Lend this machine's GPUs to an owner pool, or take them back.",
        subcommands: [HostLendCommand.self, HostReclaimCommand.self, HostReleaseCommand.self],
        defaultSubcommand: HostLendCommand.self)

    /// Where the machine keeps its nodes' folders and the owner's reclaim file, unless told.
    static var defaultWorkDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"] ?? ((environment["HOME"] ?? "/tmp") + "/.local/state")
        return state + "/gridbroker-host"
    }
}

/// `gridbroker-agent host reclaim`: the owner takes the machine back, with notice; the running
/// host agent tells the broker, whose jobs move their nodes elsewhere.
struct HostReclaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim", abstract: "Take this machine back from the pool, with notice (until 'release').")
    @Option(help: "Seconds until the borrowed processes must be gone.") var notice = 120
    @Option(help: ArgumentHelp("The host agent's work folder.", valueName: "dir")) var workDir = HostCommand
        .defaultWorkDirectory

    func validate() throws {
        if !(0...86_400).contains(notice) { throw ValidationError("--notice must be from 0 to 86400 seconds") }
    }

    func run() throws {
        let file = MachineHost.reclaimFile(in: workDir)
        do {
            try Data("\(notice)\n".utf8).write(to: URL(fileURLWithPath: file))
        } catch {
            throw AgentFailure("cannot write \(file): \(error) (is --work-dir the host agent's?)")
        }
        print("the machine is taken back within \(notice) s; 'release' lends it again")
    }
}

/// `gridbroker-agent host release`: the owner lends the machine again.
struct HostReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Lend this machine again.")
    @Option(help: ArgumentHelp("The host agent's work folder.", valueName: "dir")) var workDir = HostCommand
        .defaultWorkDirectory

    func run() throws {
        let file = MachineHost.reclaimFile(in: workDir)
        guard unlink(file) == 0 || errno == ENOENT else {
            throw AgentFailure("cannot remove \(file): \(String(cString: strerror(errno)))")
        }
        print("the machine is lent again")
    }
}

/// `gridbroker-agent host [lend]`: an owner's machine lends its GPUs to a pool. It registers with
/// the pool's join token and heartbeats; it only ever calls the broker.
struct HostLendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lend",
        abstract: "Lend this machine's GPUs to an owner pool of a gridbroker broker.",
        discussion: """
            The GPUs come from `\(NvidiaSMI.command)`; --gpu and --gpus give them where nvidia-smi is \
            not installed. The join token comes from $GRIDBROKER_JOIN_TOKEN (or --join-token, which every \
            user of the machine can see).
            """)

    @Option(help: ArgumentHelp("The broker's base URL (default: $GRIDBROKER_URL).", valueName: "url"))
    var broker: String?

    @Option(help: ArgumentHelp("The pool's join token (default: $GRIDBROKER_JOIN_TOKEN).", valueName: "token"))
    var joinToken: String?

    @Option(help: "The machine's name in the pool (default: its host name, in lower case).") var name: String?

    @Option(help: "The GPU model, as the catalog names it (e.g. A100-80GB); with --gpus.") var gpu: String?

    @Option(help: "How many GPUs; with --gpu.") var gpus: Int?

    @Option(
        help: ArgumentHelp(
            "Where each node's folder and the owner's reclaim file go (default: $XDG_STATE_HOME/gridbroker-host).",
            valueName: "dir"))
    var workDir = HostCommand.defaultWorkDirectory

    @Option(help: "Seconds of notice when the owner takes the machine back (reclaim, SIGTERM).") var notice = 120

    @Option(
        help: ArgumentHelp(
            "A shell command run every heartbeat; exit 0 means the owner wants the machine now.", valueName: "command"))
    var reclaimWhen: String?

    @Flag(help: "Run nodes' commands directly, not in their image with docker (machines without Docker).")
    var noDocker = false

    func validate() throws {
        if (gpu == nil) != (gpus == nil) { throw ValidationError("give --gpu and --gpus together") }
        if let gpus, !(1...64).contains(gpus) { throw ValidationError("--gpus must be from 1 to 64") }
        if !(0...86_400).contains(notice) { throw ValidationError("--notice must be from 0 to 86400 seconds") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        let logger = Logger(label: "gridbroker-agent host")
        let environment = ProcessInfo.processInfo.environment
        guard let url = broker ?? environment["GRIDBROKER_URL"], BrokerURL(url) != nil else {
            throw AgentFailure("no broker: give --broker or set GRIDBROKER_URL to an http(s) URL")
        }
        guard let token = joinToken ?? environment["GRIDBROKER_JOIN_TOKEN"], !token.isEmpty else {
            throw AgentFailure("no join token: set GRIDBROKER_JOIN_TOKEN or give --join-token")
        }
        guard (try? FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)) != nil
        else {
            throw AgentFailure("--work-dir \(workDir): cannot be made")
        }
        let host = MachineHost(
            broker: url, joinToken: token, registration: try registration(), workDirectory: workDir, noDocker: noDocker,
            noticeSeconds: notice, reclaimWhen: reclaimWhen, logger: logger)
        do {
            switch try await host.run() {
            case .asked: logger.notice("stopped")
            case .refused(let why): throw AgentFailure("the broker refused this machine: \(why)")
            }
        } catch let error as AgentHTTPError {
            throw AgentFailure("cannot register with \(url): \(error)")
        }
    }

    /// What the machine says of itself: its name and GPUs, from the options or nvidia-smi.
    private func registration() throws -> MachineRegistrationRequest {
        let machine = name ?? Self.hostName().lowercased()
        if let gpu, let gpus {
            return MachineRegistrationRequest(name: machine, gpu: gpu, gpus: gpus, gpuMemoryGB: nil)
        }
        guard let output = NvidiaSMI.query() else {
            throw AgentFailure("nvidia-smi is not there or failed: give --gpu and --gpus")
        }
        switch NvidiaSMIGPUs.parse(output) {
        case .success(let found):
            return MachineRegistrationRequest(
                name: machine, gpu: found.name, gpus: found.count, gpuMemoryGB: found.memoryGB)
        case .failure(let failure):
            throw AgentFailure(failure.message)
        }
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "machine" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
