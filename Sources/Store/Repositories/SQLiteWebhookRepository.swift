import BrokerCore
import Foundation
import GRDB

/// ``WebhookRepository`` on the broker's database (`webhook_delivery`, `node`, `event`).
public struct SQLiteWebhookRepository: WebhookRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func isDelivered(provider: String, deliveryID: String) async throws -> Bool {
        try await database.pool.read { db in try Self.isDelivered(db, provider: provider, deliveryID: deliveryID) }
    }

    public func record(notices: [InterruptionNotice], deliveryID: String, provider: String, at date: Date)
        async throws -> NoticeDelivery
    {
        try await database.pool.write { db in
            // Checked again inside the write: two copies of a delivery racing in are handled once.
            if try Self.isDelivered(db, provider: provider, deliveryID: deliveryID) { return .duplicate }
            var handled: [HandledNotice] = []
            for notice in notices {
                guard var node = try Self.node(db, provider: provider, instanceID: notice.instanceID) else {
                    throw StoreError.notFound(entity: "instance", id: notice.instanceID)
                }
                var event = EventRecord(
                    jobId: node.jobId, nodeId: node.id, providerId: provider, kind: "node.notice",
                    message: "node \(node.rank): \(notice.timelineMessage)",
                    data: try notice.timelineData(deliveryID: deliveryID), at: date)
                try event.insert(db)
                let preempts = notice.kind.reclaims && node.state == .running
                if preempts { node = try db.losing(.preempt, node: node.id, reason: notice.summary, at: date) }
                handled.append(HandledNotice(notice: notice, node: node, preempted: preempts))
            }
            try db.execute(
                sql: "INSERT INTO webhook_delivery (provider_id, delivery_id, received_at) VALUES (?, ?, ?)",
                arguments: [provider, deliveryID, date])
            return .handled(handled)
        }
    }

    private static func isDelivered(_ db: Database, provider: String, deliveryID: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM webhook_delivery WHERE provider_id = ? AND delivery_id = ?)",
            arguments: [provider, deliveryID]) ?? false
    }

    /// The node of `provider` with instance `instanceID` (or `<prefix>/<instanceID>`); a live one
    /// first, then the latest.
    private static func node(_ db: Database, provider: String, instanceID: String) throws -> NodeRecord? {
        let suffix = "/" + instanceID
        let ended = NodeState.terminal.rawValues.map { "'\($0)'" }.joined(separator: ", ")
        return try NodeRecord.fetchOne(
            db,
            sql: """
                SELECT * FROM node WHERE provider_id = ?
                  AND (native_instance_id = ? OR substr(native_instance_id, -?) = ?)
                ORDER BY state IN (\(ended)), requested_at DESC, rowid DESC LIMIT 1
                """,
            arguments: [provider, instanceID, suffix.unicodeScalars.count, suffix])
    }
}
