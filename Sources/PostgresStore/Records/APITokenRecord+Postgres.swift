import Foundation
import PostgresNIO
import Store

extension APITokenRecord {
    init(postgres row: PostgresRow) throws {
        let columns = PostgresColumns(row)
        self.init(
            id: try columns["id"], teamId: try columns["team_id"], role: try columns.value("role", as: TokenRole.self),
            name: try columns["name"], tokenHash: try columns["token_hash"], createdAt: try columns["created_at"])
        lastUsedAt = try columns["last_used_at"]
        revokedAt = try columns["revoked_at"]
    }
}
