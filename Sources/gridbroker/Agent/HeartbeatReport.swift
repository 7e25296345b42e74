/// The body of `POST /v1/agent/heartbeat`.
struct HeartbeatReport: Encodable, Equatable, Sendable {
    /// Where the node is: before its command starts, while it runs, after it ended.
    enum Status: String, Encodable, Sendable {
        case starting, running, exited
    }

    var status: Status
    var exitCode: Int32?
    var progress: AgentProgress

    enum CodingKeys: String, CodingKey {
        case status
        case exitCode = "exit_code"
        case shardsDone = "shards_done"
        case checkpoint
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(exitCode, forKey: .exitCode)
        try container.encode(progress.shardsDone, forKey: .shardsDone)
        try container.encodeIfPresent(progress.checkpoint, forKey: .checkpoint)
    }
}
