import BrokerCore
import Foundation
import GRDB

/// ``JobRepository`` on the broker's database: every state change and its event in one write.
public struct SQLiteJobRepository: JobRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func submit(_ job: JobRecord, shardObjects: [[String]]?) async throws -> JobRecord {
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
            if let shardObjects {
                let json = String(decoding: try JSONEncoder().encode(shardObjects), as: UTF8.self)
                try db.execute(
                    sql: "INSERT INTO job_dataset (job_id, shard_objects) VALUES (?, ?)", arguments: [job.id, json])
            }
            var event = EventRecord(
                jobId: job.id, kind: "job.submitted", toState: job.state.rawValue, message: "job submitted",
                at: job.createdAt)
            try event.insert(db)
            return job
        }
    }

    public func shardObjects(ofJob id: String) async throws -> [[String]]? {
        let json = try await database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT shard_objects FROM job_dataset WHERE job_id = ?", arguments: [id])
        }
        return try json.map { try JSONDecoder().decode([[String]].self, from: Data($0.utf8)) }
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
        try await database.pool.write { db in try db.applying(event, toJob: id, reason: reason, at: date) }
    }

    public func events(ofJob id: String) async throws -> [EventRecord] {
        try await database.pool.read { db in
            try EventRecord.filter(Column("job_id") == id).order(Column("id")).fetchAll(db)
        }
    }

    public func marketPilot(job id: String) async throws -> AutoMarketPilot? {
        let text = try await database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT pilot FROM job_market_pilot WHERE job_id = ?", arguments: [id])
        }
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(AutoMarketPilot.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRecord("job \(id)'s market pilot: \(error)")
        }
    }

    public func saveMarketPilot(_ pilot: AutoMarketPilot, job id: String, at date: Date) async throws {
        let text = String(decoding: try JSONEncoder().encode(pilot), as: UTF8.self)
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO job_market_pilot (job_id, pilot, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (job_id) DO UPDATE SET pilot = excluded.pilot, updated_at = excluded.updated_at
                    """, arguments: [id, text, date])
        }
    }

    public func list(team: String?, states: Set<JobState>?, limit: Int, after cursor: String?) async throws
        -> [ListedJob]
    {
        // One statement, prepared once per shape of filter: a list's counts are of the jobs it
        // shows, and an answer under load waits for one database turn and compiles no SQL.
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let team {
            conditions.append("team_id = ?")
            arguments += [team]
        }
        if let states {
            conditions.append("state IN (" + Array(repeating: "?", count: states.count).joined(separator: ",") + ")")
            arguments += StatementArguments(states.map(\.rawValue).sorted())
        }
        if let cursor {
            conditions.append("id < ?")
            arguments += [cursor]
        }
        arguments += [limit]
        let bound = arguments
        let sql = """
            SELECT job.*,
              (SELECT count(*) FROM shard WHERE shard.job_id = job.id) AS shards_total,
              (SELECT count(*) FROM shard WHERE shard.job_id = job.id AND shard.state = 'done') AS shards_done
            FROM job \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY id DESC LIMIT ?
            """
        return try await database.pool.read { db in
            let statement = try db.cachedStatement(sql: sql)
            // Read from the cursor's rows, which find columns through the statement's index of
            // names; a copied row (`Row.fetchAll`) lowercases every column name at every lookup.
            return try Array(
                Row.fetchCursor(statement, arguments: bound).map { row in
                    ListedJob(job: try JobRecord(row: row), shards: (row["shards_total"], row["shards_done"]))
                })
        }
    }
}
