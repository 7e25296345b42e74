import Foundation
import GRDB

/// ``SessionRepository`` on the broker's database.
public struct SQLiteSessionRepository: SessionRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func create(_ session: ConsoleSessionRecord) async throws {
        try await database.pool.write { db in
            try ConsoleSessionRecord.filter(Column("expires_at") <= session.createdAt).deleteAll(db)
            if try APITokenRecord.fetchOne(db, key: session.tokenId) == nil {
                throw StoreError.notFound(entity: "token", id: session.tokenId)
            }
            try session.insert(db)
        }
    }

    public func authenticate(secretHash: String, at date: Date) async throws -> (
        session: ConsoleSessionRecord, token: APITokenRecord
    )? {
        try await database.pool.read { db in
            guard
                let session = try ConsoleSessionRecord.filter(
                    Column("secret_hash") == secretHash && Column("expires_at") > date
                ).fetchOne(db),
                let token = try APITokenRecord.filter(
                    Column("id") == session.tokenId && Column("revoked_at") == nil
                ).fetchOne(db)
            else { return nil }
            return (session, token)
        }
    }

    public func delete(secretHash: String) async throws {
        _ = try await database.pool.write { db in
            try ConsoleSessionRecord.filter(Column("secret_hash") == secretHash).deleteAll(db)
        }
    }
}
