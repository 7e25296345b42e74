/// The broker's answer to `GET /v1/agent/dataset`: every shard of the job with the URIs of its
/// objects, as the broker split the job's `dataset.manifest`.
public struct DatasetAnswer: Decodable, Equatable, Sendable {
    public struct Shard: Decodable, Equatable, Sendable {
        public var index: Int
        public var uris: [String]

        public init(index: Int, uris: [String]) {
            self.index = index
            self.uris = uris
        }
    }

    public var shards: [Shard]

    public init(shards: [Shard]) {
        self.shards = shards
    }

    /// Each shard's object URIs by index.
    public var objects: [Int: [String]] {
        Dictionary(shards.map { ($0.index, $0.uris) }, uniquingKeysWith: { first, _ in first })
    }
}
