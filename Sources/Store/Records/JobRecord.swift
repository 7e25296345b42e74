import BrokerCore
import Foundation
import GRDB

/// A job as stored: its spec (JSON text), where it is in its life, and what it has spent.
public struct JobRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var teamId: String
    public var name: String
    /// The job spec as submitted, JSON.
    public var spec: String
    public var state: JobState
    /// Why the job is where it is (why it waits, why it failed), for people.
    public var reason: String?
    public var priority: Int
    public var deadline: Date?
    public var spendMicros: Int64
    public var idempotencyKey: String?
    /// A hash of the submitted body: the same key with another body is a conflict.
    public var requestHash: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The last checkpoint a node reported, and when it was written.
    public var lastCheckpointUri: String?
    public var lastCheckpointAt: Date?

    public init(
        id: String, teamId: String, name: String, spec: String, priority: Int = 0, deadline: Date? = nil,
        idempotencyKey: String? = nil, requestHash: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.teamId = teamId
        self.name = name
        self.spec = spec
        self.state = .queued
        self.reason = nil
        self.priority = priority
        self.deadline = deadline
        self.spendMicros = 0
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.startedAt = nil
        self.finishedAt = nil
        self.lastCheckpointUri = nil
        self.lastCheckpointAt = nil
    }

    public var spend: Money { Money(microdollars: spendMicros) }

    /// Read by column, not through `Decodable`: job lists read many rows, and GRDB's keyed
    /// decoding costs several times the query.
    public init(row: Row) throws {
        id = row["id"]
        teamId = row["team_id"]
        name = row["name"]
        spec = row["spec"]
        state = row["state"]
        reason = row["reason"]
        priority = row["priority"]
        deadline = row["deadline"]
        spendMicros = row["spend_micros"]
        idempotencyKey = row["idempotency_key"]
        requestHash = row["request_hash"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        lastCheckpointUri = row["last_checkpoint_uri"]
        lastCheckpointAt = row["last_checkpoint_at"]
    }
}

extension JobState: DatabaseValueConvertible {}
