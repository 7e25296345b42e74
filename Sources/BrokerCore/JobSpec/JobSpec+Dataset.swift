extension JobSpec {
    /// The training data, split into shards that are spread over the nodes.
    public struct Dataset: Sendable, Equatable, Encodable {
        /// Where the data is, e.g. "s3://team-data/corpus".
        public var uri: String
        /// How many shards it is split into.
        public var shards: Int
        /// A JSON-lines file of `{"uri", "bytes"}` objects (a path in the broker's manifest folder, or
        /// an http(s) URL the broker fetches) that the broker splits into the shards, balanced by
        /// bytes; without it a shard is just its number.
        public var manifest: String?

        public init(uri: String, shards: Int, manifest: String? = nil) {
            self.uri = uri
            self.shards = shards
            self.manifest = manifest
        }
    }
}

extension JobSpec.Dataset {
    static func read(_ field: JSONField, with reader: inout JSONFieldReader) -> Self? {
        guard var object = reader.object(field) else { return nil }
        let uri = reader.required("uri", of: &object) { $0.text($1) }
        let shards = reader.required("shards", of: &object) { $0.integer($1, in: 1...JobSpec.Limits.maxShards) }
        let manifest = reader.optional("manifest", of: &object) { $0.text($1) }
        reader.close(object)
        guard let uri, let shards else { return nil }
        return Self(uri: uri, shards: shards, manifest: manifest)
    }
}
