import BrokerCore
import Foundation
import PostgresNIO
import Store

/// State changes inside a transaction, as the SQLite store's `Transitions`: the row (locked
/// first, so two brokers moving one job take turns) and its timeline event together.
extension PostgresConnection {
    func applying(_ event: JobEvent, toJob id: String, reason: String?, at date: Date) async throws -> JobRecord {
        guard let stored = try await job(id: id, locked: true) else { throw StoreError.notFound(entity: "job", id: id) }
        let (job, record) = try stored.applying(event, reason: reason, at: date)
        try await run(
            """
            UPDATE job SET state = \(job.state.rawValue), reason = \(job.reason), updated_at = \(job.updatedAt),
                started_at = \(job.startedAt), finished_at = \(job.finishedAt)
            WHERE id = \(id)
            """)
        try await insert(record)
        return job
    }

    func applying(_ event: NodeEvent, toNode id: String, reason: String?, at date: Date) async throws -> NodeRecord {
        guard let stored = try await node(id: id, locked: true) else {
            throw StoreError.notFound(entity: "node", id: id)
        }
        let (node, record) = try stored.applying(event, reason: reason, at: date)
        try await run(
            """
            UPDATE node SET state = \(node.state.rawValue), reason = \(node.reason), terminated_at = \(node.terminatedAt)
            WHERE id = \(id)
            """)
        try await insert(record)
        return node
    }

    /// Asks for every live node of `jobID` to go: nodes not yet terminating move to terminating.
    func terminatingNodes(ofJob jobID: String, reason: String, at date: Date) async throws -> [NodeRecord] {
        let live = try await rows(
            """
            SELECT * FROM node WHERE job_id = \(jobID) AND state = ANY(\(NodeState.active.rawValues))
            ORDER BY rank FOR UPDATE
            """)
        var terminating: [NodeRecord] = []
        for row in live {
            terminating.append(
                try await applying(.terminate, toNode: try row.record(NodeRecord.self).id, reason: reason, at: date))
        }
        return terminating
    }

    /// Moves a node that is being lost and, in the same transaction, its job as ``NodeLoss`` says.
    func losing(_ event: NodeEvent, node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        let node = try await applying(event, toNode: id, reason: reason, at: date)
        if let job = try await job(id: node.jobId, locked: true),
            let change = NodeLoss.jobChange(job: job.state, event: event, rank: node.rank, reason: reason)
        {
            _ = try await applying(change.event, toJob: job.id, reason: change.reason, at: date)
        }
        return node
    }

    /// How many shards `jobID` has, and how many are done.
    func shardCounts(ofJob jobID: String) async throws -> (total: Int, done: Int) {
        let row = try await rows(
            "SELECT count(*), count(*) FILTER (WHERE state = 'done') FROM shard WHERE job_id = \(jobID)"
        ).first
        guard let (total, done) = try row?.decode((Int64, Int64).self) else { return (0, 0) }
        return (Int(total), Int(done))
    }

    /// The node `id`, locked until the transaction ends when `locked`.
    func node(id: String, locked: Bool = false) async throws -> NodeRecord? {
        try await rows("SELECT * FROM node WHERE id = \(id) \(unescaped: locked ? "FOR UPDATE" : "")").first
            .map { try $0.record(NodeRecord.self) }
    }

    /// The job `id`, locked until the transaction ends when `locked`.
    func job(id: String, locked: Bool = false) async throws -> JobRecord? {
        try await rows("SELECT * FROM job WHERE id = \(id) \(unescaped: locked ? "FOR UPDATE" : "")").first
            .map { try $0.record(JobRecord.self) }
    }

    /// Throws ``StoreError/leaseLost(_:)`` unless `lease` (when given) is in force at `date` with
    /// its token; when `locked` (a transaction that writes), holds the lease's row (`FOR SHARE`)
    /// until the transaction ends, so it is not taken over meanwhile.
    func holding(_ lease: Lease?, at date: Date, locked: Bool = true) async throws {
        guard let lease else { return }
        let held = try await rows(
            """
            SELECT 1 FROM lease WHERE name = \(lease.name) AND token = \(lease.token) AND expires_at > \(date)
            \(unescaped: locked ? "FOR SHARE" : "")
            """)
        guard !held.isEmpty else { throw StoreError.leaseLost(lease.name) }
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
