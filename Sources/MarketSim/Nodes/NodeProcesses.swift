import Foundation

/// The simulated market's nodes as real processes (`gridbroker sim --exec-nodes`): once an instance
/// runs, its boot script (`/bin/sh`) or its container's command starts in the instance's folder,
/// with the `docker` stand-in first on its `PATH`, `GRIDBROKER_HOME` set to that folder, and its
/// output appended to `boot.log` there. When the instance stops (terminated, or reclaimed at its
/// notice's end), everything it runs gets SIGTERM, and SIGKILL once it is gone.
actor NodeProcesses {
    let execution: NodeExecution
    /// Instances started, by key, and whether they were told to stop.
    private var started: [String: Bool] = [:]

    init(execution: NodeExecution) {
        self.execution = execution
    }

    /// Brings the processes to the instances at `time`; returns what happened, for the log.
    func step(_ instances: [SimulatedInstance], at time: Double) -> [String] {
        var notes: [String] = []
        var present: Set<String> = []
        for instance in instances {
            let key = "\(instance.provider.rawValue)-\(instance.id)"
            present.insert(key)
            switch instance.phase(at: time) {
            case .running where started[key] == nil:
                guard let boot = instance.boot else { continue }
                do {
                    try start(boot, key: key, environment: instance.environment)
                    started[key] = false
                    notes.append("node \(key) boots: \(Self.describe(boot)) in \(folder(key).path)")
                } catch {
                    started[key] = true
                    notes.append("node \(key) cannot boot: \(error)")
                }
            case .stopping where started[key] == false:
                started[key] = true
                notes.append("node \(key) stops: SIGTERM to \(ProcessTree.signal(key, SIGTERM)) process(es)")
            default:
                break
            }
        }
        for key in started.keys.sorted() where !present.contains(key) || isGone(key, in: instances, at: time) {
            let killed = ProcessTree.signal(key, SIGKILL)
            if killed > 0 { notes.append("node \(key) is gone: SIGKILL to \(killed) process(es)") }
            if !present.contains(key) { started[key] = nil }
        }
        return notes
    }

    /// Kills every node's processes (the market shuts down: its machines go with it); returns how
    /// many processes there were.
    @discardableResult
    func stopAll() -> Int {
        defer { started = [:] }
        return started.keys.reduce(0) { $0 + ProcessTree.signal($1, SIGKILL) }
    }

    private func isGone(_ key: String, in instances: [SimulatedInstance], at time: Double) -> Bool {
        instances.first { "\($0.provider.rawValue)-\($0.id)" == key }?.phase(at: time) == .terminated
    }

    private func folder(_ key: String) -> URL {
        execution.folder.appendingPathComponent(key, isDirectory: true)
    }

    private func start(_ boot: InstanceBoot, key: String, environment: [String: String]) throws {
        let home = folder(key)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let own = ProcessInfo.processInfo.environment
        var variables: [String: String] = [
            "PATH": execution.binDirectory.path + ":" + (own["PATH"] ?? "/usr/bin:/bin"), "HOME": home.path,
            "GRIDBROKER_HOME": home.path, "GRIDBROKER_SIM_WORKDIR": execution.workingDirectory.path,
            ProcessTree.marker: key, "TMPDIR": own["TMPDIR"] ?? "/tmp",
        ]
        let process = Process()
        switch boot {
        case .script(let script):
            // A virtual machine: the boot script alone, as cloud-init runs it.
            let path = home.appendingPathComponent("boot.sh")
            try script.write(to: path, atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [path.path]
        case .command(let words):
            // A container: the command in the image, with the launch's environment.
            guard let program = words.first else { throw NodeProcessError.emptyCommand }
            variables = environment.merging(variables) { _, own in own }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + words.dropFirst()
        }
        process.environment = variables
        process.currentDirectoryURL = execution.workingDirectory
        let log = home.appendingPathComponent("boot.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    private static func describe(_ boot: InstanceBoot) -> String {
        switch boot {
        case .script: "its boot script"
        case .command(let words): "its command \(words.first ?? "")"
        }
    }
}

enum NodeProcessError: Error, CustomStringConvertible {
    case emptyCommand

    var description: String { "the launch gave no command" }
}
