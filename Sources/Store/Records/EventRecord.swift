import Foundation
import GRDB

/// One entry of the append-only timeline of what happened to a job, a node or a provider.
public struct EventRecord: Sendable, Equatable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "event"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Increasing: the timeline's order.
    public var id: Int64?
    public var jobId: String?
    public var nodeId: String?
    public var providerId: String?
    /// What kind of thing happened (`job.state`, `node.state`, ...).
    public var kind: String
    public var fromState: String?
    public var toState: String?
    public var message: String
    /// Extra facts, JSON.
    public var data: String?
    public var at: Date

    public init(
        jobId: String? = nil, nodeId: String? = nil, providerId: String? = nil, kind: String,
        fromState: String? = nil, toState: String? = nil, message: String, data: String? = nil, at: Date
    ) {
        self.jobId = jobId
        self.nodeId = nodeId
        self.providerId = providerId
        self.kind = kind
        self.fromState = fromState
        self.toState = toState
        self.message = message
        self.data = data
        self.at = at
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
