import BrokerCore
import Foundation
import PostgresNIO
import Store

extension JobRecord {
    /// The `job` columns, in the order ``init(postgres:)`` and the inserts use.
    static let postgresColumns = """
        id, team_id, name, spec, state, reason, priority, deadline, spend_micros, idempotency_key, request_hash,
        created_at, updated_at, started_at, finished_at, last_checkpoint_uri, last_checkpoint_at
        """

    init(postgres row: PostgresRow) throws {
        let columns = PostgresColumns(row)
        self.init(
            id: try columns["id"], teamId: try columns["team_id"], name: try columns["name"],
            spec: try columns["spec"], createdAt: try columns["created_at"])
        state = try columns.value("state", as: JobState.self)
        reason = try columns["reason"]
        priority = try columns["priority"]
        deadline = try columns["deadline"]
        spendMicros = try columns["spend_micros"]
        idempotencyKey = try columns["idempotency_key"]
        requestHash = try columns["request_hash"]
        updatedAt = try columns["updated_at"]
        startedAt = try columns["started_at"]
        finishedAt = try columns["finished_at"]
        lastCheckpointUri = try columns["last_checkpoint_uri"]
        lastCheckpointAt = try columns["last_checkpoint_at"]
    }
}
