/// The shards file the command reads (`GRIDBROKER_SHARDS_FILE`): one line per shard still to do, in
/// the broker's order. A line is the shard's index; for a dataset with a manifest, a tab and the URI
/// of each of the shard's objects follow it (`3\ts3://bucket/part-0007\ts3://bucket/part-0008`).
public enum ShardsFile {
    /// The file's text for `shards`, with each shard's objects from `objects` (none for a shard
    /// `objects` does not list).
    public static func text(_ shards: [Int], objects: [Int: [String]]) -> String {
        shards.map { shard in
            ([String(shard)] + (objects[shard] ?? [])).joined(separator: "\t") + "\n"
        }.joined()
    }
}
