import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/WebhookRepository`` on PostgreSQL (`webhook_delivery`, `node`, `event`).
public struct PostgresWebhookRepository: WebhookRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func isDelivered(provider: String, deliveryID: String) async throws -> Bool {
        try await !database.rows(
            "SELECT 1 FROM webhook_delivery WHERE provider_id = \(provider) AND delivery_id = \(deliveryID)"
        ).isEmpty
    }

    public func record(notices: [InterruptionNotice], deliveryID: String, provider: String, at date: Date)
        async throws -> NoticeDelivery
    {
        try await database.transaction { connection in
            // The delivery's row first: a copy racing in on another broker waits here for this
            // transaction, then finds it delivered.
            let recorded = try await connection.rows(
                """
                INSERT INTO webhook_delivery (provider_id, delivery_id, received_at)
                VALUES (\(provider), \(deliveryID), \(date)) ON CONFLICT DO NOTHING RETURNING delivery_id
                """)
            guard !recorded.isEmpty else { return .duplicate }
            var handled: [HandledNotice] = []
            for notice in notices {
                guard var node = try await Self.node(connection, provider: provider, instanceID: notice.instanceID)
                else { throw StoreError.notFound(entity: "instance", id: notice.instanceID) }
                try await connection.insert(
                    EventRecord(
                        jobId: node.jobId, nodeId: node.id, providerId: provider, kind: "node.notice",
                        message: "node \(node.rank): \(notice.timelineMessage)",
                        data: try notice.timelineData(deliveryID: deliveryID), at: date))
                let preempts = notice.kind.reclaims && node.state == .running
                if preempts {
                    node = try await connection.losing(.preempt, node: node.id, reason: notice.summary, at: date)
                }
                handled.append(HandledNotice(notice: notice, node: node, preempted: preempts))
            }
            return .handled(handled)
        }
    }

    /// The node of `provider` with instance `instanceID` (or `<prefix>/<instanceID>`); a live one
    /// first, then the latest.
    private static func node(_ connection: PostgresConnection, provider: String, instanceID: String) async throws
        -> NodeRecord?
    {
        let suffix = "/" + instanceID
        return try await connection.rows(
            """
            SELECT * FROM node WHERE provider_id = \(provider)
              AND (native_instance_id = \(instanceID) OR right(native_instance_id, \(suffix.count)::int) = \(suffix))
            ORDER BY state = ANY(\(NodeState.terminal.rawValues)), requested_at DESC, seq DESC LIMIT 1
            """
        ).first.map { try $0.record(NodeRecord.self) }
    }
}
