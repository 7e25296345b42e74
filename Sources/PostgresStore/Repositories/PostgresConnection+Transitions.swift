import BrokerCore
import Foundation
import PostgresNIO
import Store

/// State changes inside a transaction, as the SQLite store's `Transitions`: the row (locked
/// first, so two brokers moving one job take turns) and its timeline event together.
extension PostgresConnection {
    func applying(_ event: JobEvent, toJob id: String, reason: String?, at date: Date) async throws -> JobRecord {
        guard let row = try await rows("SELECT * FROM job WHERE id = \(id) FOR UPDATE").first else {
            throw StoreError.notFound(entity: "job", id: id)
        }
        var job = try JobRecord(postgres: row)
        let from = job.state
        do {
            job.state = try from.applying(event)
        } catch {
            throw StoreError.invalidTransition(error.description)
        }
        job.reason = reason
        job.updatedAt = date
        if job.state == .running && job.startedAt == nil { job.startedAt = date }
        if job.state.isTerminal { job.finishedAt = date }
        try await run(
            """
            UPDATE job SET state = \(job.state.rawValue), reason = \(job.reason), updated_at = \(job.updatedAt),
                started_at = \(job.startedAt), finished_at = \(job.finishedAt)
            WHERE id = \(id)
            """)
        try await insert(
            EventRecord(
                jobId: id, kind: "job.state", fromState: from.rawValue, toState: job.state.rawValue,
                message: reason ?? "\(event.rawValue): \(from.rawValue) → \(job.state.rawValue)", at: date))
        return job
    }

    func insert(_ event: EventRecord) async throws {
        try await run(
            """
            INSERT INTO event (job_id, node_id, provider_id, kind, from_state, to_state, message, data, at)
            VALUES (\(event.jobId), \(event.nodeId), \(event.providerId), \(event.kind), \(event.fromState),
                \(event.toState), \(event.message), \(event.data), \(event.at))
            """)
    }
}
