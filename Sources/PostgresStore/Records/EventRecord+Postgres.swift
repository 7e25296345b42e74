import Foundation
import PostgresNIO
import Store

extension EventRecord {
    init(postgres row: PostgresRow) throws {
        let columns = PostgresColumns(row)
        self.init(
            jobId: try columns["job_id"], nodeId: try columns["node_id"], providerId: try columns["provider_id"],
            kind: try columns["kind"], fromState: try columns["from_state"], toState: try columns["to_state"],
            message: try columns["message"], data: try columns["data"], at: try columns["at"])
        id = try columns["id"]
    }
}
