import BrokerCore
import GRDB

/// ``TeamRepository`` on the broker's database.
public struct SQLiteTeamRepository: TeamRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func create(_ team: TeamRecord) async throws -> TeamRecord {
        do {
            try await database.pool.write { db in try team.insert(db) }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.conflict("a team named '\(team.name)' already exists")
        }
        return team
    }

    public func team(id: String) async throws -> TeamRecord? {
        try await database.pool.read { db in try TeamRecord.fetchOne(db, key: id) }
    }

    public func ensure(_ team: TeamRecord) async throws -> TeamRecord {
        try await database.pool.write { db in
            if let existing = try TeamRecord.fetchOne(db, key: team.id) { return existing }
            try team.insert(db)
            return team
        }
    }

    public func teams() async throws -> [TeamRecord] {
        try await database.pool.read { db in try TeamRecord.order(Column("name")).fetchAll(db) }
    }

    public func setBudget(_ budget: Money?, team id: String) async throws -> TeamRecord {
        try await database.pool.write { db in
            guard var team = try TeamRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "team", id: id)
            }
            team.budgetMicros = budget?.microdollars
            try team.update(db, columns: ["budget_micros"])
            return team
        }
    }
}
