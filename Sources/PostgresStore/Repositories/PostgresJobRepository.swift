import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/JobRepository`` on PostgreSQL: every state change and its event in one transaction,
/// and a job's row locked while it changes.
public struct PostgresJobRepository: JobRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func submit(_ job: JobRecord, shardObjects: [[String]]?) async throws -> JobRecord {
        let objects = try shardObjects.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        return try await database.transaction { connection in
            // Two submits under one key: the second waits for the first's commit, then inserts
            // nothing and answers with the first's job.
            let inserted = try await connection.insert(
                job, into: "job", "ON CONFLICT (team_id, idempotency_key) DO NOTHING RETURNING id")
            guard !inserted.isEmpty else {
                let key = job.idempotencyKey ?? ""
                guard
                    let row = try await connection.rows(
                        "SELECT * FROM job WHERE team_id = \(job.teamId) AND idempotency_key = \(key)"
                    ).first
                else { throw StoreError.conflict("Idempotency-Key '\(key)' is being used by another request") }
                let earlier = try row.record(JobRecord.self)
                guard earlier.requestHash == job.requestHash else {
                    throw StoreError.conflict("Idempotency-Key '\(key)' was already used with a different request")
                }
                return earlier
            }
            if let objects {
                try await connection.run(
                    "INSERT INTO job_dataset (job_id, shard_objects) VALUES (\(job.id), \(objects))")
            }
            try await connection.insert(
                EventRecord(
                    jobId: job.id, kind: "job.submitted", toState: job.state.rawValue, message: "job submitted",
                    at: job.createdAt))
            return job
        }
    }

    public func shardObjects(ofJob id: String) async throws -> [[String]]? {
        guard let row = try await database.rows("SELECT shard_objects FROM job_dataset WHERE job_id = \(id)").first
        else { return nil }
        return try JSONDecoder().decode([[String]].self, from: Data(try row.decode(String.self).utf8))
    }

    public func job(id: String) async throws -> JobRecord? {
        try await database.rows("SELECT * FROM job WHERE id = \(id)").first.map { try $0.record(JobRecord.self) }
    }

    public func jobs(in states: Set<JobState>, limit: Int) async throws -> [JobRecord] {
        try await database.rows(
            """
            SELECT * FROM job WHERE state = ANY(\(states.map(\.rawValue)))
            ORDER BY priority DESC, created_at, id LIMIT \(limit)
            """
        ).map { try $0.record(JobRecord.self) }
    }

    public func apply(_ event: JobEvent, toJob id: String, reason: String?, at date: Date) async throws -> JobRecord {
        try await database.transaction { try await $0.applying(event, toJob: id, reason: reason, at: date) }
    }

    public func events(ofJob id: String) async throws -> [EventRecord] {
        try await database.rows("SELECT * FROM event WHERE job_id = \(id) ORDER BY id").map {
            try $0.record(EventRecord.self)
        }
    }

    public func marketPilot(job id: String) async throws -> AutoMarketPilot? {
        guard let row = try await database.rows("SELECT pilot FROM job_market_pilot WHERE job_id = \(id)").first else {
            return nil
        }
        do {
            return try JSONDecoder().decode(AutoMarketPilot.self, from: Data(try row.decode(String.self).utf8))
        } catch {
            throw StoreError.corruptRecord("job \(id)'s market pilot: \(error)")
        }
    }

    public func saveMarketPilot(_ pilot: AutoMarketPilot, job id: String, at date: Date) async throws {
        let text = String(decoding: try JSONEncoder().encode(pilot), as: UTF8.self)
        _ = try await database.rows(
            """
            INSERT INTO job_market_pilot (job_id, pilot, updated_at) VALUES (\(id), \(text), \(date))
            ON CONFLICT (job_id) DO UPDATE SET pilot = excluded.pilot, updated_at = excluded.updated_at
            """)
    }

    public func list(team: String?, states: Set<JobState>?, limit: Int, after cursor: String?) async throws
        -> [ListedJob]
    {
        let stateNames = states.map { $0.map(\.rawValue) }
        return try await database.rows(
            """
            SELECT job.*,
              (SELECT count(*) FROM shard WHERE shard.job_id = job.id) AS shards_total,
              (SELECT count(*) FROM shard WHERE shard.job_id = job.id AND shard.state = 'done') AS shards_done
            FROM job
            WHERE (\(team)::text IS NULL OR team_id = \(team))
              AND (\(stateNames)::text[] IS NULL OR state = ANY(\(stateNames)))
              AND (\(cursor)::text IS NULL OR id < \(cursor))
            ORDER BY id DESC LIMIT \(limit)
            """
        ).map { row in
            let columns = PostgresColumns(row)
            let total: Int64 = try columns["shards_total"]
            let done: Int64 = try columns["shards_done"]
            return ListedJob(job: try row.record(JobRecord.self), shards: (Int(total), Int(done)))
        }
    }
}
