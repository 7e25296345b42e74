import BrokerCore
import Foundation
import GRDB

/// ``JobRepository`` on the broker's database: every state change and its event in one write.
public struct SQLiteJobRepository: JobRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func submit(_ job: JobRecord) async throws -> JobRecord {
        try await database.pool.write { db in
            if let key = job.idempotencyKey,
                let earlier = try JobRecord.filter(Column("team_id") == job.teamId && Column("idempotency_key") == key)
                    .fetchOne(db)
            {
                guard earlier.requestHash == job.requestHash else {
                    throw StoreError.conflict("Idempotency-Key '\(key)' was already used with a different request")
                }
                return earlier
            }
            try job.insert(db)
            var event = EventRecord(
                jobId: job.id, kind: "job.submitted", toState: job.state.rawValue, message: "job submitted",
                at: job.createdAt)
            try event.insert(db)
            return job
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        try await database.pool.read { db in try JobRecord.fetchOne(db, key: id) }
    }

    public func jobs(in states: Set<JobState>, limit: Int) async throws -> [JobRecord] {
        try await database.pool.read { db in
            try JobRecord.filter(states.map(\.rawValue).contains(Column("state")))
                .order(Column("priority").desc, Column("created_at"), Column("id"))
                .limit(limit)
                .fetchAll(db)
        }
    }

    public func apply(_ event: JobEvent, toJob id: String, reason: String?, at date: Date) async throws -> JobRecord {
        try await database.pool.write { db in
            guard var job = try JobRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            let from = job.state
            do {
                job.state = try from.applying(event)
            } catch let error as InvalidTransition {
                throw StoreError.invalidTransition(error.description)
            }
            job.reason = reason
            job.updatedAt = date
            if job.state == .running && job.startedAt == nil { job.startedAt = date }
            if job.state.isTerminal { job.finishedAt = date }
            try job.update(db)
            var record = EventRecord(
                jobId: id, kind: "job.state", fromState: from.rawValue, toState: job.state.rawValue,
                message: reason ?? "\(event.rawValue): \(from.rawValue) → \(job.state.rawValue)", at: date)
            try record.insert(db)
            return job
        }
    }

    public func events(ofJob id: String) async throws -> [EventRecord] {
        try await database.pool.read { db in
            try EventRecord.filter(Column("job_id") == id).order(Column("id")).fetchAll(db)
        }
    }
}
