import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/CapacityBlockRepository`` on PostgreSQL: every broker on the database sees a block.
public struct PostgresCapacityBlockRepository: CapacityBlockRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func blocks(at now: Date) async throws -> [CapacityBlocklist.Key: Date] {
        var blocks: [CapacityBlocklist.Key: Date] = [:]
        for row in try await database.rows(
            "SELECT scope, provider_id, region, offer_id, until FROM capacity_block WHERE until > \(now)")
        {
            let columns = PostgresColumns(row)
            let key = CapacityBlocklist.Key(
                scope: try columns.value("scope", as: CapacityBlocklist.Scope.self),
                provider: try columns["provider_id"], region: try columns["region"],
                offer: OfferID(try columns["offer_id"] as String))
            blocks[key] = try columns["until"]
        }
        return blocks
    }

    public func block(_ key: CapacityBlocklist.Key, until: Date, now: Date) async throws {
        let region = key.region ?? ""
        let offer = key.offer.map(String.init(describing:)) ?? ""
        try await database.transaction { connection in
            try await connection.run("DELETE FROM capacity_block WHERE until <= \(now)")
            try await connection.run(
                """
                INSERT INTO capacity_block (scope, provider_id, region, offer_id, until)
                VALUES (\(key.scope.rawValue), \(key.provider), \(region), \(offer), \(until))
                ON CONFLICT (scope, provider_id, region, offer_id)
                DO UPDATE SET until = greatest(capacity_block.until, excluded.until)
                """)
        }
    }
}
