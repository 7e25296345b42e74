import Foundation

/// A program the benchmark starts and stops: the daemon, the simulated market, the load generator.
final class ChildProcess {
    private let process = Process()
    private let output = Pipe()
    let name: String

    /// Starts `executable` with `arguments` in `directory`, `environment` added to this process's;
    /// standard error goes to `log` (a file), standard output is kept for ``waitForOutput()``.
    init(
        _ name: String, executable: String, arguments: [String], directory: URL, environment: [String: String] = [:],
        log: URL
    ) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Seconds of CPU it has used, user and system (Linux's `/proc`), nil once it has exited.
    var cpuSeconds: Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        // After the name: state is field 3, utime and stime fields 14 and 15, in clock ticks.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Everything it wrote to standard output, once it has exited.
    func waitForOutput() -> String {
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// SIGTERM, then waits for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
