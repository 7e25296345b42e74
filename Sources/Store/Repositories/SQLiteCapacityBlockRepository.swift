import BrokerCore
import Foundation
import GRDB

/// ``CapacityBlockRepository`` on the broker's database.
public struct SQLiteCapacityBlockRepository: CapacityBlockRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    public func blocks(at now: Date) async throws -> [CapacityBlocklist.Key: Date] {
        try await database.pool.read { db in
            var blocks: [CapacityBlocklist.Key: Date] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT scope, provider_id, region, offer_id, until FROM capacity_block WHERE until > ?",
                arguments: [now])
            {
                let scopeName: String = row["scope"]
                guard let scope = CapacityBlocklist.Scope(rawValue: scopeName) else {
                    throw StoreError.corruptRecord("capacity block of unknown scope '\(scopeName)'")
                }
                let key = CapacityBlocklist.Key(
                    scope: scope, provider: row["provider_id"], region: row["region"],
                    offer: OfferID(row["offer_id"] as String))
                blocks[key] = row["until"]
            }
            return blocks
        }
    }

    public func block(_ key: CapacityBlocklist.Key, until: Date, now: Date) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM capacity_block WHERE until <= ?", arguments: [now])
            try db.execute(
                sql: """
                    INSERT INTO capacity_block (scope, provider_id, region, offer_id, until) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (scope, provider_id, region, offer_id) DO UPDATE SET until = max(until, excluded.until)
                    """,
                arguments: [
                    key.scope.rawValue, key.provider, key.region ?? "", key.offer.map(String.init(describing:)) ?? "",
                    until,
                ])
        }
    }
}
