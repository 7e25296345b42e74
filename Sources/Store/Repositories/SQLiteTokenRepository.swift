import Foundation
import GRDB

/// ``TokenRepository`` on the broker's database.
public struct SQLiteTokenRepository: TokenRepository {
    /// A token's last use is written at most this often, so a busy client does not turn every
    /// request into a write.
    public static let lastUsedPrecision: TimeInterval = 60

    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func issue(_ token: APITokenRecord) async throws -> APITokenRecord {
        try await database.pool.write { db in
            if let team = token.teamId, try TeamRecord.fetchOne(db, key: team) == nil {
                throw StoreError.notFound(entity: "team", id: team)
            }
            try token.insert(db)
            return token
        }
    }

    public func authenticate(tokenHash: String, at date: Date) async throws -> APITokenRecord? {
        let found = try await database.pool.read { db in
            try APITokenRecord.filter(Column("token_hash") == tokenHash && Column("revoked_at") == nil).fetchOne(db)
        }
        guard var token = found else { return nil }
        if token.lastUsedAt.map({ date.timeIntervalSince($0) >= Self.lastUsedPrecision }) ?? true {
            token.lastUsedAt = date
            let touched = token
            try await database.pool.write { db in try touched.update(db, columns: ["last_used_at"]) }
        }
        return token
    }

    public func token(id: String) async throws -> APITokenRecord? {
        try await database.pool.read { db in try APITokenRecord.fetchOne(db, key: id) }
    }

    public func tokens(team: String?) async throws -> [APITokenRecord] {
        try await database.pool.read { db in
            var request = APITokenRecord.all()
            if let team { request = request.filter(Column("team_id") == team) }
            return try request.order(Column("created_at"), Column("id")).fetchAll(db)
        }
    }

    public func revoke(id: String, at date: Date) async throws -> APITokenRecord {
        try await database.pool.write { db in
            guard var token = try APITokenRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "token", id: id)
            }
            guard token.revokedAt == nil else { return token }
            token.revokedAt = date
            try token.update(db, columns: ["revoked_at"])
            return token
        }
    }

    public func hasActiveAdmin() async throws -> Bool {
        try await database.pool.read { db in
            try APITokenRecord.filter(Column("role") == TokenRole.admin.rawValue && Column("revoked_at") == nil)
                .fetchCount(db) > 0
        }
    }
}
