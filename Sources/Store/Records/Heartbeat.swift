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
    /// Where the other nodes of the gang reach this one.
    public var address: String?

    public init(
        status: Status, exitCode: Int? = nil, shardsDone: [Int] = [], checkpointURI: String? = nil,
        checkpointAt: Date? = nil, address: String? = nil
    ) {
        self.status = status
        self.exitCode = exitCode
        self.shardsDone = shardsDone
        self.checkpointURI = checkpointURI
        self.checkpointAt = checkpointAt
        self.address = address
    }
}

/// What the broker knows after a heartbeat: the node and its job as they are now, the shards
/// still the node's to do, and the nodes to terminate when the heartbeat ended the job.
public struct HeartbeatOutcome: Sendable {
    public var node: NodeRecord
    public var job: JobRecord
    public var nodesInJob: Int
    public var assignedShards: [Int]
    /// The address rank 0 of the job's current gang reported, once it has.
    public var masterAddress: String?
    public var terminating: [NodeRecord]
    /// Whether a node of the job is being reclaimed (the gang checkpoints).
    public var gangPreempting: Bool = false

    public var commands: [AgentCommand] {
        AgentCommand.commands(node: node.state, job: job.state, gangPreempting: gangPreempting)
    }
}
