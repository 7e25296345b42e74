import BrokerCore
import Foundation
import Store

/// The body of `POST /v1/agent/heartbeat`.
struct HeartbeatRequest: Decodable {
    struct Checkpoint: Decodable {
        var uri: String
        var at: Date?
    }

    var status: Heartbeat.Status
    var exitCode: Int?
    var shardsDone: [Int]?
    var checkpoint: Checkpoint?
    /// Where the gang's other nodes reach this one: an IP address or a host name.
    var address: String?

    enum CodingKeys: String, CodingKey {
        case status, checkpoint, address
        case exitCode = "exit_code"
        case shardsDone = "shards_done"
    }

    var heartbeat: Heartbeat {
        Heartbeat(
            status: status, exitCode: exitCode, shardsDone: shardsDone ?? [], checkpointURI: checkpoint?.uri,
            checkpointAt: checkpoint?.at, address: address)
    }
}

/// The answer to a heartbeat: the node's place in the gang, its shards still to do, where to
/// checkpoint and resume from, and what to do now.
public struct HeartbeatResponse: Codable, Sendable {
    public var nodeId: String
    public var jobId: String
    public var rank: Int
    public var nnodes: Int
    public var gpusPerNode: Int
    public var masterAddr: String?
    public var masterPort: Int
    public var shards: [Int]
    public var checkpointUri: String?
    public var resumeFrom: String?
    /// The job's `dataset.uri`.
    public var datasetUri: String?
    /// Whether the job's shards are lists of objects the agent fetches (`GET /v1/agent/dataset`).
    public var shardObjects: Bool
    public var commands: [AgentCommand]

    /// torchrun's default rendezvous port.
    static let masterPort = 29500

    init(_ outcome: HeartbeatOutcome, spec: JobSpec?) {
        nodeId = outcome.node.id
        jobId = outcome.job.id
        rank = outcome.node.rank
        nnodes = spec?.resources.nodes ?? outcome.nodesInJob
        gpusPerNode = outcome.node.gpuCount
        masterAddr = outcome.masterAddress
        masterPort = Self.masterPort
        shards = outcome.assignedShards
        checkpointUri = spec?.checkpoint?.uri
        resumeFrom = outcome.job.lastCheckpointUri
        datasetUri = spec?.dataset?.uri
        shardObjects = spec?.dataset?.manifest != nil
        commands = outcome.commands
    }

    enum CodingKeys: String, CodingKey {
        case rank, nnodes, shards, commands
        case nodeId = "node_id"
        case jobId = "job_id"
        case gpusPerNode = "gpus_per_node"
        case masterAddr = "master_addr"
        case masterPort = "master_port"
        case checkpointUri = "checkpoint_uri"
        case resumeFrom = "resume_from"
        case datasetUri = "dataset_uri"
        case shardObjects = "shard_objects"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodeId, forKey: .nodeId)
        try container.encode(jobId, forKey: .jobId)
        try container.encode(rank, forKey: .rank)
        try container.encode(nnodes, forKey: .nnodes)
        try container.encode(gpusPerNode, forKey: .gpusPerNode)
        try container.encode(masterAddr, forKey: .masterAddr)  // null until rank 0's agent reports its address
        try container.encode(masterPort, forKey: .masterPort)
        try container.encode(shards, forKey: .shards)
        try container.encode(checkpointUri, forKey: .checkpointUri)
        try container.encode(resumeFrom, forKey: .resumeFrom)
        try container.encode(datasetUri, forKey: .datasetUri)
        try container.encode(shardObjects, forKey: .shardObjects)
        try container.encode(commands, forKey: .commands)
    }
}
