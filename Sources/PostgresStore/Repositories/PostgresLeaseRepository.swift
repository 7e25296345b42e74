import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/LeaseRepository`` on PostgreSQL: the lease's row is locked while it is decided, so two
/// brokers asking at once get one answer each, and only one of them the lease.
public struct PostgresLeaseRepository: LeaseRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func take(_ name: String, owner: String, until: Date, now: Date) async throws -> Lease? {
        try await database.transaction { connection in
            // A row to lock, even for a lease never taken (expired at the epoch: free).
            try await connection.run(
                """
                INSERT INTO lease (name, owner, token, expires_at) VALUES (\(name), '', '', 'epoch')
                ON CONFLICT (name) DO NOTHING
                """)
            guard
                let row = try await connection.rows(
                    "SELECT owner, token, expires_at FROM lease WHERE name = \(name) FOR UPDATE"
                ).first
            else { return nil }
            let (holder, token, expiresAt) = try row.decode((String, String, Date).self)
            let current = Lease(name: name, owner: holder, token: token, expiresAt: expiresAt)
            guard
                let taken = LeaseRules.take(
                    name, current: current, owner: owner, newToken: UUID().uuidString, until: until, now: now)
            else { return nil }
            try await connection.run(
                """
                UPDATE lease SET owner = \(taken.owner), token = \(taken.token), expires_at = \(taken.expiresAt)
                WHERE name = \(name)
                """)
            return taken
        }
    }

    public func release(_ lease: Lease) async throws {
        _ = try await database.rows("DELETE FROM lease WHERE name = \(lease.name) AND token = \(lease.token)")
    }
}
