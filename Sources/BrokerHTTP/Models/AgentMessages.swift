import BrokerCore

/// The body of `POST /v1/agent/logs`: lines of the command's output, numbered by the agent.
struct AgentLogBatch: Decodable {
    struct Line: Decodable {
        var seq: Int64
        var stream: NodeLogLine.Stream
        var text: String
    }

    var lines: [Line]
}

/// The answer to `POST /v1/agent/logs`: how many lines were new.
struct LogsAccepted: Codable, Sendable {
    var accepted: Int
}

/// The answer to `GET /v1/agent/dataset`: every shard with its objects' URIs.
struct DatasetResponse: Codable, Sendable {
    struct Shard: Codable, Sendable {
        var index: Int
        var uris: [String]
    }

    var shards: [Shard]

    init(shardObjects: [[String]]) {
        shards = shardObjects.enumerated().map { Shard(index: $0.offset, uris: $0.element) }
    }
}
