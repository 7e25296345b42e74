/// How far a job's shards are: the numbers behind its progress bar.
public struct ShardProgress: Sendable, Equatable {
    public var total: Int
    public var done: Int

    public init(total: Int, done: Int) {
        self.total = max(0, total)
        self.done = min(max(0, done), self.total)
    }

    /// Done over total, 0...1; a job without shards (not yet planned) is at 0.
    public var fraction: Double { total == 0 ? 0 : Double(done) / Double(total) }

    /// "130 / 512 shards (25%)", the percentage rounded down so 100% means every shard.
    public var label: String {
        total == 0 ? "no shards yet" : "\(done) / \(total) shards (\(done * 100 / total)%)"
    }
}
