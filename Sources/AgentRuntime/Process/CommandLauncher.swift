#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the agent runs the training command: directly (inside the job's container, on Vast.ai and
/// RunPod, or on an owner's machine), or, on a virtual machine, in the job's container with
/// `docker run`, so that the agent stays on the host and still sees the command's exit code and
/// output and can signal it.
public struct CommandLauncher: Sendable {
    public enum Mode: Sendable, Equatable {
        case direct
        /// `docker run` of `image` as the container `name`; the work folder is mounted at the same
        /// path, so the shards and progress files are where the variables say.
        case container(image: String, name: String)
    }

    public let mode: Mode
    public let command: [String]
    /// Where the shards and progress files live.
    public let workDirectory: String
    /// The job's own variables (from the node's spec), which a container gets along with the gang's.
    public let jobVariables: Set<String>

    public init(mode: Mode, command: [String], workDirectory: String, jobVariables: Set<String> = []) {
        self.mode = mode
        self.command = command
        self.workDirectory = workDirectory
        self.jobVariables = jobVariables
    }

    /// The program and arguments to start, for a command that gets `variables` (the gang's) on top
    /// of the agent's own environment. In a container the variables travel by name (`-e NAME`, the value
    /// taken from `docker`'s own environment), so their values never show in a process list.
    public func arguments(variables: [String: String]) -> [String] {
        switch mode {
        case .direct:
            return command
        case .container(let image, let name):
            var words = [
                "docker", "run", "--rm", "--init", "--name", name, "--gpus", "all", "--network", "host", "--ipc",
                "host",
                "-v", "\(workDirectory):\(workDirectory)",
            ]
            for variable in jobVariables.union(variables.keys).sorted() { words += ["-e", variable] }
            return words + [image] + command
        }
    }

    /// Starts the command; `environment` is everything it (or `docker`) gets.
    func start(
        variables: [String: String], environment: [String: String],
        onLine: @escaping @Sendable (OutputStream, String) -> Void, onExit: @escaping @Sendable (Int32) -> Void
    ) async throws(ChildProcessError) -> RunningCommand {
        if case .container(_, let name) = mode {
            // A container left by an earlier agent on this machine would hold the name.
            await Self.runToEnd(["docker", "rm", "-f", name], environment: environment, onLine: onLine)
        }
        let words = arguments(variables: variables)
        let child = try ChildProcess(
            executable: Self.resolve(words[0], path: environment["PATH"]), arguments: words, environment: environment,
            onLine: onLine, onExit: onExit)
        return RunningCommand(child: child, mode: mode, environment: environment, onLine: onLine)
    }

    /// Runs a short helper command (a `docker kill`) to its end, its output logged like the command's.
    static func runToEnd(
        _ words: [String], environment: [String: String], onLine: @escaping @Sendable (OutputStream, String) -> Void
    ) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            do {
                _ = try ChildProcess(
                    executable: resolve(words[0], path: environment["PATH"]), arguments: words,
                    environment: environment, onLine: onLine, onExit: { _ in done.resume() })
            } catch {
                onLine(.stderr, "[gridbroker-agent] \(error)")
                done.resume()
            }
        }
    }

    /// `name` found on `path` (the first match), or `name` itself when it holds a `/`.
    static func resolve(_ name: String, path: String?) -> String {
        guard !name.contains("/") else { return name }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return name
    }
}

/// The command once started: what signals reach it, and how.
struct RunningCommand: Sendable {
    let child: ChildProcess
    let mode: CommandLauncher.Mode
    let environment: [String: String]
    let onLine: @Sendable (OutputStream, String) -> Void

    var processIdentifier: Int32 { child.pid }

    /// Delivers `signal`: stopping signals (TERM, INT, KILL) to everything the command started,
    /// others (the checkpoint signal) to the command alone. A container gets it through
    /// `docker kill`; a KILL also removes it (`docker rm -f`).
    func signal(_ signal: Int32) async {
        let stopping = [SIGTERM, SIGINT, SIGKILL].contains(signal)
        switch mode {
        case .direct:
            if stopping { child.signalGroup(signal) } else { child.signal(signal) }
        case .container(_, let name):
            let words =
                signal == SIGKILL
                ? ["docker", "rm", "-f", name] : ["docker", "kill", "--signal", String(signal), name]
            await CommandLauncher.runToEnd(words, environment: environment, onLine: onLine)
            if signal == SIGKILL { child.signalGroup(SIGKILL) }
        }
    }
}
