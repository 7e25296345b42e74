/// The broker's answer to `POST /v1/agent/heartbeat` (see the node agent protocol).
public struct HeartbeatAnswer: Decodable, Equatable, Sendable {
    public var nodeID: String
    public var jobID: String
    public var rank: Int
    public var nnodes: Int
    public var gpusPerNode: Int
    /// Rank 0's address; `nil` until it is known (rank 0 itself then uses 127.0.0.1).
    public var masterAddress: String?
    public var masterPort: Int?
    /// The shards assigned to this node and not yet done.
    public var shards: [Int]
    public var checkpointURI: String?
    public var resumeFrom: String?
    /// The job's `dataset.uri`, when it has a dataset.
    public var datasetURI: String?
    /// Whether the job's shards are lists of objects (a `dataset.manifest`): the agent then fetches
    /// them (`GET /v1/agent/dataset`) before the command starts, for the shards file.
    public var shardObjects: Bool
    /// `checkpoint` and `stop`; unknown commands are ignored.
    public var commands: [String]

    enum CodingKeys: String, CodingKey {
        case nodeID = "node_id"
        case jobID = "job_id"
        case rank, nnodes, shards, commands
        case gpusPerNode = "gpus_per_node"
        case masterAddress = "master_addr"
        case masterPort = "master_port"
        case checkpointURI = "checkpoint_uri"
        case resumeFrom = "resume_from"
        case datasetURI = "dataset_uri"
        case shardObjects = "shard_objects"
    }

    public init(
        nodeID: String, jobID: String, rank: Int, nnodes: Int, gpusPerNode: Int, masterAddress: String? = nil,
        masterPort: Int? = nil, shards: [Int], checkpointURI: String? = nil, resumeFrom: String? = nil,
        datasetURI: String? = nil, shardObjects: Bool = false, commands: [String] = []
    ) {
        self.nodeID = nodeID
        self.jobID = jobID
        self.rank = rank
        self.nnodes = nnodes
        self.gpusPerNode = gpusPerNode
        self.masterAddress = masterAddress
        self.masterPort = masterPort
        self.shards = shards
        self.checkpointURI = checkpointURI
        self.resumeFrom = resumeFrom
        self.datasetURI = datasetURI
        self.shardObjects = shardObjects
        self.commands = commands
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nodeID = try container.decode(String.self, forKey: .nodeID)
        jobID = try container.decode(String.self, forKey: .jobID)
        rank = try container.decode(Int.self, forKey: .rank)
        nnodes = try container.decode(Int.self, forKey: .nnodes)
        gpusPerNode = try container.decode(Int.self, forKey: .gpusPerNode)
        masterAddress = try container.decodeIfPresent(String.self, forKey: .masterAddress)
        masterPort = try container.decodeIfPresent(Int.self, forKey: .masterPort)
        shards = try container.decodeIfPresent([Int].self, forKey: .shards) ?? []
        checkpointURI = try container.decodeIfPresent(String.self, forKey: .checkpointURI)
        resumeFrom = try container.decodeIfPresent(String.self, forKey: .resumeFrom)
        datasetURI = try container.decodeIfPresent(String.self, forKey: .datasetURI)
        shardObjects = try container.decodeIfPresent(Bool.self, forKey: .shardObjects) ?? false
        commands = try container.decodeIfPresent([String].self, forKey: .commands) ?? []
    }
}
