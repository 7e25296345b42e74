import BrokerCore
import Foundation

/// What a node's agent reports in a heartbeat.
public struct Heartbeat: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case starting, running, exited
    }

    public var status: Status
    /// The command's exit code, with ``Status/exited``.
    public var exitCode: Int?
    /// Shards the node finished (repeating earlier ones is harmless).
    public var shardsDone: [Int]
    /// The last checkpoint the command completed, and when.
    public var checkpointURI: String?
    public var checkpointAt: Date?

    public init(
        status: Status, exitCode: Int? = nil, shardsDone: [Int] = [], checkpointURI: String? = nil,
        checkpointAt: Date? = nil
    ) {
        self.status = status
        self.exitCode = exitCode
        self.shardsDone = shardsDone
        self.checkpointURI = checkpointURI
        self.checkpointAt = checkpointAt
    }
}

/// What the broker knows after a heartbeat: the node and its job as they are now, the shards
/// still the node's to do, and the nodes to terminate when the heartbeat ended the job.
public struct HeartbeatOutcome: Sendable {
    public var node: NodeRecord
    public var job: JobRecord
    public var nodesInJob: Int
    public var assignedShards: [Int]
    public var terminating: [NodeRecord]

    public var commands: [AgentCommand] { AgentCommand.commands(node: node.state, job: job.state) }
}
