import Foundation
import Synchronization

/// The real `gridbroker` binary run as a child process, its standard error captured.
final class GridbrokerProcess {
    enum Failure: Error, CustomStringConvertible {
        case binaryNotFound(String)
        case timedOut(waitingFor: String, stderr: String)

        var description: String {
            switch self {
            case .binaryNotFound(let path): "gridbroker binary not found at \(path); run 'swift build' first"
            case .timedOut(let what, let stderr): "timed out waiting for \(what); stderr so far:\n\(stderr)"
            }
        }
    }

    /// The binary `swift build` put next to the test bundle (or `GRIDBROKER_BINARY`).
    static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["GRIDBROKER_BINARY"] { return path }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // Inside an .xctest bundle on some layouts the binary sits deeper than the build folder.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("gridbroker").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw Failure.binaryNotFound(testBinary.deletingLastPathComponent().path)
    }

    private let process: Process
    /// What the process's handlers (called on Foundation's threads) report.
    private final class Reports: Sendable {
        let output = Mutex<String>("")
        let exitStatus = Mutex<Int32?>(nil)
    }
    private let reports = Reports()

    /// Starts `gridbroker <arguments>` in `directory`.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binaryPath())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // Hermetic: no GRIDBROKER_ settings and no CLI config file of the user running the tests.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GRIDBROKER_") }
            .merging(["XDG_CONFIG_HOME": directory.appendingPathComponent("xdg-config").path]) { $1 }
            .merging(environment) { $1 }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        // A blocking read on a thread of its own, not `readabilityHandler`: on Linux, tearing down
        // that handler's dispatch source races the pipe's close and crashed a whole test run with
        // SIGSEGV in `_dispatch_event_loop_drain` (swift-corelibs-foundation #3276).
        let output = pipe.fileHandleForReading
        Thread { [reports] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = read(output.fileDescriptor, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                reports.output.withLock { $0 += String(decoding: buffer[..<count], as: UTF8.self) }
            }
        }.start()
        process.terminationHandler = { [reports] process in
            reports.exitStatus.withLock { $0 = process.terminationStatus }
        }
        try process.run()
    }

    /// Everything the process wrote so far (standard error and output).
    var log: String { reports.output.withLock { $0 } }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status, once the process has exited.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        try await waitUntil("the process to exit", timeout: timeout) { self.reports.exitStatus.withLock { $0 } }
    }

    /// Runs `gridbroker <arguments>` to its end: its exit status and everything it wrote.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws
        -> (status: Int32, output: String)
    {
        let process = try GridbrokerProcess(arguments, in: directory, environment: environment)
        let status = try await process.waitForExit()
        return (status, process.log)
    }

    /// The first admin token of the database `config` names (`gridbroker admin bootstrap`).
    static func bootstrapToken(config: String, in directory: URL, environment: [String: String] = [:]) async throws
        -> String
    {
        let (status, output) = try await run(
            ["admin", "bootstrap", "--config", config], in: directory, environment: environment)
        guard status == 0, let token = output.firstMatch(of: /gbt_[A-Za-z0-9_-]{43}/) else {
            throw Failure.timedOut(waitingFor: "an admin token from 'gridbroker admin bootstrap'", stderr: output)
        }
        return String(token.output)
    }

    /// Waits until the log contains a line matching `pattern`, returning the first capture group.
    func waitForLog(_ pattern: String, timeout: Duration = .seconds(120)) async throws -> String {
        let regex = try Regex(pattern)
        return try await waitUntil("log line /\(pattern)/", timeout: timeout) {
            self.log.firstMatch(of: regex).map { match in
                String(match.output[match.output.count > 1 ? 1 : 0].substring ?? "")
            }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Checks `condition` until it yields a value or `timeout` passes (a guard against hanging,
    /// not a timing assertion); the failure carries the process's log.
    func waitUntil<T>(_ what: String, timeout: Duration = .seconds(30), _ condition: () -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = condition() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure.timedOut(waitingFor: what, stderr: log)
    }
}
