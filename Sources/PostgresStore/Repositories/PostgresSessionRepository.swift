import Foundation
import PostgresNIO
import Store

/// ``Store/SessionRepository`` on PostgreSQL.
public struct PostgresSessionRepository: SessionRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func create(_ session: ConsoleSessionRecord) async throws {
        do {
            try await database.transaction { connection in
                try await connection.run("DELETE FROM console_session WHERE expires_at <= \(session.createdAt)")
                try await connection.insert(session, into: "console_session")
            }
        } catch let error as PSQLError where error.sqlState == "23503" {
            // The only foreign key: the token the session acts for.
            throw StoreError.notFound(entity: "token", id: session.tokenId)
        }
    }

    public func authenticate(secretHash: String, at date: Date) async throws -> (
        session: ConsoleSessionRecord, token: APITokenRecord
    )? {
        guard
            let row = try await database.rows(
                """
                SELECT console_session.id AS session_id, console_session.created_at AS session_created_at,
                    console_session.secret_hash, console_session.expires_at, api_token.*
                FROM console_session JOIN api_token ON api_token.id = console_session.token_id
                WHERE console_session.secret_hash = \(secretHash) AND console_session.expires_at > \(date)
                  AND api_token.revoked_at IS NULL
                """
            ).first
        else { return nil }
        let columns = PostgresColumns(row)
        let token = try row.record(APITokenRecord.self)
        let session = ConsoleSessionRecord(
            id: try columns["session_id"], tokenId: token.id, secretHash: try columns["secret_hash"],
            createdAt: try columns["session_created_at"], expiresAt: try columns["expires_at"])
        return (session, token)
    }

    public func delete(secretHash: String) async throws {
        _ = try await database.rows("DELETE FROM console_session WHERE secret_hash = \(secretHash)")
    }
}
