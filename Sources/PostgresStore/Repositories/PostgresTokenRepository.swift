import Foundation
import PostgresNIO
import Store

/// ``Store/TokenRepository`` on PostgreSQL.
public struct PostgresTokenRepository: TokenRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func issue(_ token: APITokenRecord) async throws -> APITokenRecord {
        do {
            try await database.transaction { connection in
                try await connection.insert(token, into: "api_token")
            }
        } catch let error as PSQLError where error.sqlState == "23503" {
            // The only foreign key: the member token's team.
            throw StoreError.notFound(entity: "team", id: token.teamId ?? "")
        }
        return token
    }

    public func activeToken(hash tokenHash: String) async throws -> APITokenRecord? {
        try await database.rows("SELECT * FROM api_token WHERE token_hash = \(tokenHash) AND revoked_at IS NULL")
            .first.map { try $0.record(APITokenRecord.self) }
    }

    public func recordUses(_ uses: [String: Date]) async throws {
        guard !uses.isEmpty else { return }
        let uses = Array(uses)
        let (ids, dates) = (uses.map(\.key), uses.map(\.value))
        try await database.transaction { connection in
            try await connection.run(
                """
                UPDATE api_token SET last_used_at = use.at
                FROM unnest(\(ids)::text[], \(dates)::timestamptz[]) AS use(id, at)
                WHERE api_token.id = use.id
                """)
        }
    }

    public func token(id: String) async throws -> APITokenRecord? {
        try await database.rows("SELECT * FROM api_token WHERE id = \(id)").first.map {
            try $0.record(APITokenRecord.self)
        }
    }

    public func tokens(team: String?) async throws -> [APITokenRecord] {
        try await database.rows(
            """
            SELECT * FROM api_token WHERE \(team)::text IS NULL OR team_id = \(team) ORDER BY created_at, id
            """
        ).map { try $0.record(APITokenRecord.self) }
    }

    public func revoke(id: String, at date: Date) async throws -> APITokenRecord {
        // Revoking again keeps the first time.
        let rows = try await database.rows(
            "UPDATE api_token SET revoked_at = coalesce(revoked_at, \(date)) WHERE id = \(id) RETURNING *")
        guard let row = rows.first else { throw StoreError.notFound(entity: "token", id: id) }
        return try row.record(APITokenRecord.self)
    }

    public func hasActiveAdmin() async throws -> Bool {
        let rows = try await database.rows(
            "SELECT EXISTS (SELECT 1 FROM api_token WHERE role = 'admin' AND revoked_at IS NULL)")
        return try rows.first?.decode(Bool.self) ?? false
    }
}
