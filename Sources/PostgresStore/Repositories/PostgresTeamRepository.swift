import BrokerCore
import PostgresNIO
import Store

/// ``Store/TeamRepository`` on PostgreSQL.
public struct PostgresTeamRepository: TeamRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func create(_ team: TeamRecord) async throws -> TeamRecord {
        do {
            _ = try await database.withConnection { try await $0.insert(team, into: "team") }
        } catch let error as PSQLError where error.isUniqueViolation {
            throw StoreError.conflict("a team named '\(team.name)' already exists")
        }
        return team
    }

    public func team(id: String) async throws -> TeamRecord? {
        try await database.rows("SELECT * FROM team WHERE id = \(id)").first.map { try $0.record(TeamRecord.self) }
    }

    public func ensure(_ team: TeamRecord) async throws -> TeamRecord {
        try await database.transaction { connection in
            try await connection.insert(team, into: "team", "ON CONFLICT (id) DO NOTHING")
            let rows = try await connection.rows("SELECT * FROM team WHERE id = \(team.id)")
            guard let stored = rows.first else { throw StoreError.notFound(entity: "team", id: team.id) }
            return try stored.record(TeamRecord.self)
        }
    }

    public func teams() async throws -> [TeamRecord] {
        try await database.rows("SELECT * FROM team ORDER BY name").map { try $0.record(TeamRecord.self) }
    }

    public func setBudget(_ budget: Money?, team id: String) async throws -> TeamRecord {
        let rows = try await database.rows(
            "UPDATE team SET budget_micros = \(budget?.microdollars) WHERE id = \(id) RETURNING *")
        guard let row = rows.first else { throw StoreError.notFound(entity: "team", id: id) }
        return try row.record(TeamRecord.self)
    }
}
