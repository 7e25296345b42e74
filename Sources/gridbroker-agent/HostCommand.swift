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

/// `gridbroker-agent host`: an owner's machine lends its GPUs to a pool. It registers with the
/// pool's join token and heartbeats until SIGTERM; it only ever calls the broker.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
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

    @Option(help: ArgumentHelp("Where each node's folder goes (default: a new temporary folder).", valueName: "dir"))
    var workDir: String?

    @Flag(help: "Run nodes' commands directly, not in their image with docker (machines without Docker).")
    var noDocker = false

    func validate() throws {
        if (gpu == nil) != (gpus == nil) { throw ValidationError("give --gpu and --gpus together") }
        if let gpus, !(1...64).contains(gpus) { throw ValidationError("--gpus must be from 1 to 64") }
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
        let folder = try workDir ?? Self.temporaryFolder()
        let host = MachineHost(
            broker: url, joinToken: token, registration: try registration(), workDirectory: folder, noDocker: noDocker,
            logger: logger)
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

    private static func temporaryFolder() throws -> String {
        var template = Array(
            ((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/gridbroker-host-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw AgentFailure("cannot make a temporary folder") }
        return String(cString: made)
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "machine" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
