extension JobSpec {
    /// The training data, split into shards that are spread over the nodes.
    public struct Dataset: Sendable, Equatable, Encodable {
        /// Where the data is, e.g. "s3://team-data/corpus".
        public var uri: String
        /// How many shards it is split into.
        public var shards: Int

        public init(uri: String, shards: Int) {
            self.uri = uri
            self.shards = shards
        }
    }
}

extension JobSpec.Dataset {
    static func read(_ field: JSONField, with reader: inout JSONFieldReader) -> Self? {
        guard var object = reader.object(field) else { return nil }
        let uri = reader.required("uri", of: &object) { $0.text($1) }
        let shards = reader.required("shards", of: &object) { $0.integer($1, in: 1...JobSpec.Limits.maxShards) }
        reader.close(object)
        guard let uri, let shards else { return nil }
        return Self(uri: uri, shards: shards)
    }
}
