import Foundation

/// What the command reports in its progress file, and the agent forwards in each heartbeat:
/// `{"shards_done": [0, 1], "checkpoint": {"uri": "...", "at": "RFC 3339"}}`.
struct AgentProgress: Codable, Equatable, Sendable {
    /// The last completed checkpoint; `at` is passed to the broker as written.
    struct Checkpoint: Codable, Equatable, Sendable {
        var uri: String
        var at: String
    }

    var shardsDone: [Int] = []
    var checkpoint: Checkpoint?

    enum CodingKeys: String, CodingKey {
        case shardsDone = "shards_done"
        case checkpoint
    }

    init(shardsDone: [Int] = [], checkpoint: Checkpoint? = nil) {
        self.shardsDone = shardsDone
        self.checkpoint = checkpoint
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shardsDone = try container.decodeIfPresent([Int].self, forKey: .shardsDone) ?? []
        checkpoint = try container.decodeIfPresent(Checkpoint.self, forKey: .checkpoint)
    }

    /// The progress in `bytes`, or `nil` when they are not a whole progress document (for
    /// example a file the command is halfway through writing).
    static func parse(_ bytes: Data) -> AgentProgress? {
        try? JSONDecoder().decode(AgentProgress.self, from: bytes)
    }
}
