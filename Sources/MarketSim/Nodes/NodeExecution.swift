import Foundation

/// How `gridbroker sim --exec-nodes` runs each launched instance for real: its boot script (a
/// virtual machine's) or its command (a container's) as a process tree in a folder of its own,
/// with a `docker` on its `PATH` that runs an image's command directly on this machine.
public struct NodeExecution: Sendable {
    /// Where each instance gets its folder (`<provider>-<id>`), and the `docker` stand-in its `bin`.
    public var folder: URL
    /// Where the nodes' commands run (relative paths in a job's command start here).
    public var workingDirectory: URL

    public init(folder: URL, workingDirectory: URL) {
        self.folder = folder
        self.workingDirectory = workingDirectory
    }

    /// The folder `docker` lives in.
    var binDirectory: URL { folder.appendingPathComponent("bin", isDirectory: true) }

    /// Writes the `docker` stand-in.
    public func prepare() throws {
        try FileManager.default.createDirectory(at: binDirectory, withIntermediateDirectories: true)
        let docker = binDirectory.appendingPathComponent("docker")
        try DockerStandIn.script.write(to: docker, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: docker.path)
    }
}
