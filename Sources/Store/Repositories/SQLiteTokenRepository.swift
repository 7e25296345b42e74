import Foundation
import GRDB

/// ``TokenRepository`` on the broker's database.
public struct SQLiteTokenRepository: TokenRepository {
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

    public func activeToken(hash tokenHash: String) async throws -> APITokenRecord? {
        try await database.pool.read { db in
            try APITokenRecord.filter(Column("token_hash") == tokenHash && Column("revoked_at") == nil).fetchOne(db)
        }
    }

    public func recordUses(_ uses: [String: Date]) async throws {
        guard !uses.isEmpty else { return }
        try await database.pool.write { db in
            for (id, date) in uses {
                try APITokenRecord.filter(key: id).updateAll(db, Column("last_used_at").set(to: date))
            }
        }
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
