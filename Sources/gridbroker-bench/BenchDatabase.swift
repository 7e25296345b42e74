import Broker
import Foundation
import Store

/// A new broker database in a temporary folder, with `providers` registered.
enum BenchDatabase {
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
