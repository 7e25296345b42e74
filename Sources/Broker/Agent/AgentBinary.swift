import BrokerCore
import Crypto
import Foundation
import Providers

/// The node agent's executable the daemon serves to the nodes it launches
/// (`GET /v1/agent/download`): `gridbroker-agent`, found beside the running executable.
public struct AgentBinary: Sendable {
    /// The executable's name, beside `gridbroker`.
    public static let fileName = "gridbroker-agent"

    public let path: String
    /// SHA-256 of the file, in lower-case hex: what a node checks the download against.
    public let sha256: String
    public let size: Int

    /// Reads and hashes the file at `path`; nil when it cannot be read.
    public init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
        }
        guard size > 0 else { return nil }
        self.path = path
        self.size = size
        sha256 = Hex.string(hasher.finalize())
    }

    /// Where the agent should be: beside the running executable.
    public static var expectedPath: String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(fileName).path
    }

    /// What nodes need to know of this agent to fetch it and check it.
    public func delivery(brokerURL: String, heartbeat: Duration) -> AgentDelivery {
        AgentDelivery(brokerURL: brokerURL, sha256: sha256, heartbeatSeconds: heartbeat.timeInterval)
    }
}
