import BrokerCore
import Foundation
import GRDB

/// State changes inside a write: the row and its timeline event together, so every compound
/// operation of the repositories moves jobs and nodes the same way.
extension Database {
    func applying(_ event: JobEvent, toJob id: String, reason: String?, at date: Date) throws -> JobRecord {
        guard let stored = try JobRecord.fetchOne(self, key: id) else {
            throw StoreError.notFound(entity: "job", id: id)
        }
        var (job, record) = try stored.applying(event, reason: reason, at: date)
        try job.update(self)
        try record.insert(self)
        return job
    }

    func applying(_ event: NodeEvent, toNode id: String, reason: String?, at date: Date) throws -> NodeRecord {
        guard let stored = try NodeRecord.fetchOne(self, key: id) else {
            throw StoreError.notFound(entity: "node", id: id)
        }
        var (node, record) = try stored.applying(event, reason: reason, at: date)
        try node.update(self)
        try record.insert(self)
        return node
    }

    /// Asks for every live node of `jobID` to go: nodes not yet terminating move to terminating
    /// (the provisioner and the reconciler then terminate their instances and confirm).
    func terminatingNodes(ofJob jobID: String, reason: String, at date: Date) throws -> [NodeRecord] {
        let live = try NodeRecord.filter(Column("job_id") == jobID)
            .filter(NodeState.active.rawValues.contains(Column("state")))
            .order(Column("rank"))
            .fetchAll(self)
        return try live.map { try applying(.terminate, toNode: $0.id, reason: reason, at: date) }
    }

    /// How many shards `jobID` has, and how many are done.
    func shardCounts(ofJob jobID: String) throws -> (total: Int, done: Int) {
        let statement = try cachedStatement(
            sql: "SELECT count(*), count(*) FILTER (WHERE state = 'done') FROM shard WHERE job_id = ?")
        let row = try Row.fetchOne(statement, arguments: [jobID])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// Moves a node that is being lost and, in the same transaction, its job as ``NodeLoss`` says.
    func losing(_ event: NodeEvent, node id: String, reason: String, at date: Date) throws -> NodeRecord {
        let node = try applying(event, toNode: id, reason: reason, at: date)
        if let job = try JobRecord.fetchOne(self, key: node.jobId),
            let change = NodeLoss.jobChange(job: job.state, event: event, rank: node.rank, reason: reason)
        {
            _ = try applying(change.event, toJob: job.id, reason: change.reason, at: date)
        }
        return node
    }
}
