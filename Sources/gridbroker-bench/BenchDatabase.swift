import Broker
import Foundation
import PostgresStore
import Store

/// A new broker database in a temporary folder, with `providers` registered.
enum BenchDatabase {
    /// A new broker store with `providers` registered: PostgreSQL in a schema of its own at
    /// `postgresURL`, else a fresh SQLite database.
    static func freshStore(
        _ providers: [ProviderConfiguration], postgresURL: String?,
        schema: String = "bench_" + UUID().uuidString.prefix(8).lowercased()
    ) async throws -> BrokerStore {
        guard let postgresURL else { return .sqlite(try fresh(providers)) }
        let store = BrokerStore.postgres(try await PostgresBrokerDatabase.open(url: postgresURL, schema: schema))
        try await store.providers.sync(
            providers.map { provider in
                ProviderRecord(
                    id: provider.id, kind: provider.kind.rawValue, baseUrl: provider.baseURL ?? "", enabled: true,
                    pollIntervalS: provider.pollIntervalSeconds, offerExpiryS: provider.offerExpirySeconds,
                    createdAt: Date())
            })
        return store
    }

    /// `count` brokers' stores on one new PostgreSQL schema at `postgresURL`: the first as
    /// ``freshStore(_:postgresURL:)`` makes it, the others connected to it apart.
    static func freshReplicas(_ providers: [ProviderConfiguration], postgresURL: String, count: Int) async throws
        -> (first: BrokerStore, others: [BrokerStore])
    {
        let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
        let first = try await freshStore(providers, postgresURL: postgresURL, schema: schema)
        var others: [BrokerStore] = []
        for _ in 1..<count {
            others.append(.postgres(try await PostgresBrokerDatabase.open(url: postgresURL, schema: schema)))
        }
        return (first, others)
    }

    static func fresh(_ providers: [ProviderConfiguration]) throws -> BrokerDatabase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-bench-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        if !providers.isEmpty {
            try database.pool.write { db in
                for provider in providers {
                    try ProviderRecord(
                        id: provider.id, kind: provider.kind.rawValue, baseUrl: provider.baseURL ?? "", enabled: true,
                        pollIntervalS: provider.pollIntervalSeconds, offerExpiryS: provider.offerExpirySeconds,
                        createdAt: Date()
                    ).insert(db)
                }
            }
        }
        return database
    }
}
