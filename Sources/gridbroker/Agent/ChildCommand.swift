import Foundation

/// The training command as a child process sharing the agent's standard input and output.
final class ChildCommand {
    private let process = Process()

    /// Starts `arguments` (the first found on `PATH` unless it holds a `/`) with `environment`;
    /// `onExit` gets its exit code, 128 + the signal when a signal ended it.
    init(
        _ arguments: [String], environment: [String: String], onExit: @escaping @Sendable (Int32) -> Void
    ) throws {
        process.executableURL = URL(fileURLWithPath: Self.resolve(arguments[0], path: environment["PATH"]))
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        process.terminationHandler = { process in
            let status = process.terminationStatus
            onExit(process.terminationReason == .uncaughtSignal ? 128 + status : status)
        }
        try process.run()
    }

    var processIdentifier: Int32 { process.processIdentifier }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    private static func resolve(_ name: String, path: String?) -> String {
        guard !name.contains("/") else { return name }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return name
    }
}
