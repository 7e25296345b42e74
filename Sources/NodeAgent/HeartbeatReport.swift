/// The body of `POST /v1/agent/heartbeat`.
public struct HeartbeatReport: Encodable, Equatable, Sendable {
    /// Where the node is: before its command starts, while it runs, after it ended.
    public enum Status: String, Encodable, Sendable {
        case starting, running, exited
    }

    public var status: Status
    public var exitCode: Int32?
    public var progress: AgentProgress
    /// Where the gang's other nodes reach this one (rank 0's becomes their `MASTER_ADDR`).
    public var address: String?

    public init(status: Status, exitCode: Int32?, progress: AgentProgress, address: String? = nil) {
        self.status = status
        self.exitCode = exitCode
        self.progress = progress
        self.address = address
    }

    enum CodingKeys: String, CodingKey {
        case status
        case exitCode = "exit_code"
        case shardsDone = "shards_done"
        case checkpoint, address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(exitCode, forKey: .exitCode)
        try container.encode(progress.shardsDone, forKey: .shardsDone)
        try container.encodeIfPresent(progress.checkpoint, forKey: .checkpoint)
        try container.encodeIfPresent(address, forKey: .address)
    }
}
