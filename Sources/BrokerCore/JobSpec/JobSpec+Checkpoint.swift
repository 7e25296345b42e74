extension JobSpec {
    /// Where the job checkpoints, and how often, so a reclaimed node loses at most one interval.
    public struct Checkpoint: Sendable, Equatable, Encodable {
        /// The default ``intervalMinutes``.
        public static let defaultIntervalMinutes = 15

        /// Where checkpoints go, e.g. "s3://team-ckpt/run-7".
        public var uri: String
        public var intervalMinutes: Int

        public init(uri: String, intervalMinutes: Int = Self.defaultIntervalMinutes) {
            self.uri = uri
            self.intervalMinutes = intervalMinutes
        }

        enum CodingKeys: String, CodingKey {
            case uri
            case intervalMinutes = "interval_minutes"
        }
    }
}

extension JobSpec.Checkpoint {
    static func read(_ field: JSONField, with reader: inout JSONFieldReader) -> Self? {
        guard var object = reader.object(field) else { return nil }
        let uri = reader.required("uri", of: &object) { $0.text($1) }
        let interval = reader.optional("interval_minutes", of: &object) {
            $0.integer($1, in: 1...JobSpec.Limits.maxCheckpointIntervalMinutes)
        }
        reader.close(object)
        guard let uri else { return nil }
        return Self(uri: uri, intervalMinutes: interval ?? Self.defaultIntervalMinutes)
    }
}
