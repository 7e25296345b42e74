import Foundation
import GRDB

/// One shard of a job's dataset: which node works on it and how far it got.
public struct ShardRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "shard"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public enum State: String, Sendable, Codable, DatabaseValueConvertible {
        case pending, assigned, done
    }

    public var jobId: String
    public var idx: Int
    public var state: State
    public var nodeId: String?
    public var progress: Double
    public var attempts: Int
    public var updatedAt: Date

    /// Shard `index` of `jobID`, handed to `nodeID`.
    public init(jobID: String, index: Int, nodeID: String, at date: Date) {
        self.jobId = jobID
        self.idx = index
        self.state = .assigned
        self.nodeId = nodeID
        self.progress = 0
        self.attempts = 1
        self.updatedAt = date
    }
}
