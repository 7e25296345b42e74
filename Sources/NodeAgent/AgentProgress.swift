#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the command reports in its progress file, and the agent forwards in each heartbeat:
/// `{"shards_done": [0, 1], "checkpoint": {"uri": "...", "at": "RFC 3339"}}`.
public struct AgentProgress: Codable, Equatable, Sendable {
    /// The last completed checkpoint; `at` is passed to the broker as written.
    public struct Checkpoint: Codable, Equatable, Sendable {
        public var uri: String
        public var at: String

        public init(uri: String, at: String) {
            self.uri = uri
            self.at = at
        }
    }

    public var shardsDone: [Int] = []
    public var checkpoint: Checkpoint?

    enum CodingKeys: String, CodingKey {
        case shardsDone = "shards_done"
        case checkpoint
    }

    public init(shardsDone: [Int] = [], checkpoint: Checkpoint? = nil) {
        self.shardsDone = shardsDone
        self.checkpoint = checkpoint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shardsDone = try container.decodeIfPresent([Int].self, forKey: .shardsDone) ?? []
        checkpoint = try container.decodeIfPresent(Checkpoint.self, forKey: .checkpoint)
    }

    /// The progress in `bytes`, or `nil` when they are not a whole progress document (for
    /// example a file the command is halfway through writing).
    public static func parse(_ bytes: Data) -> AgentProgress? {
        try? JSONDecoder().decode(AgentProgress.self, from: bytes)
    }
}
