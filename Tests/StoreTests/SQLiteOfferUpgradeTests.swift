import BrokerCore
import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Offers on SQLite: rows from before listings were kept")
struct SQLiteOfferUpgradeTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func offer(_ provider: String, _ native: String, dollars: Double) -> Offer {
        Offer(
            id: OfferID(provider: provider, native: native), gpu: GPUName(resolving: "H100-SXM"), gpuCount: 8,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 96, memoryGB: 1024, diskGB: 2000, region: "us-east-1",
            country: "US", market: .onDemand, pricePerHour: Money(dollars: dollars)!, available: 1, reliability: 0.99,
            firstSeenAt: start, lastSeenAt: start, raw: nil)
    }

    @Test("offers stored before listings were kept read back as last seen, and the next poll writes them once")
    func offersFromBeforeListingsSurviveTheUpgrade() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-upgrade-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let path = folder.appendingPathComponent("gridbroker.sqlite").path
        // A database of the release before: every poll wrote every offer with its last sighting.
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "2026-12-07 console sessions")
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO provider (id, kind, base_url, enabled, poll_interval_s, offer_expiry_s, created_at)
                    VALUES ('vast', 'vast', 'http://127.0.0.1:9400/vast', 1, 60, 300, ?);
                    INSERT INTO offer (id, provider_id, native_id, gpu, gpu_known, gpu_count, gpu_memory_gb, vcpus,
                        memory_gb, disk_gb, region, market, price_per_hour_micros, price_per_gpu_hour_micros,
                        available, first_seen_at, last_seen_at)
                    VALUES ('vast:1', 'vast', '1', 'H100-SXM', 1, 8, 80, 96, 1024, 2000, 'us-east-1', 'on_demand',
                        20000000, 2500000, 1, ?, ?);
                    """, arguments: [start, start, start.addingTimeInterval(60)])
        }
        try old.close()

        let upgraded = SQLiteOfferRepository(database: try BrokerDatabase.open(at: path))
        let stored = try await upgraded.liveOffers()
        #expect(stored.map(\.lastSeenAt) == [start.addingTimeInterval(60)])
        #expect(try await upgraded.listingTimes().isEmpty)
        // Not known to be in a listing: the first poll writes it whole, the next one not at all.
        var book = OfferBook(offers: stored, listedAt: [:])
        for (seconds, written) in [(120.0, 1), (180, 0)] {
            let now = start.addingTimeInterval(seconds)
            var listed = offer("vast", "1", dollars: 20)
            (listed.firstSeenAt, listed.lastSeenAt) = (now, now)
            let changes: OfferChanges
            (book, changes) = book.updated(
                provider: "vast", listing: [listed], at: now, expiredBefore: now.addingTimeInterval(-300))
            let summary = try await upgraded.ingest(changes, listing: [listed], provider: "vast", at: now)
            #expect(summary.upserted == written)
            let live = try await upgraded.liveOffers()
            #expect(live.map(\.lastSeenAt) == [now] && live.map(\.firstSeenAt) == [start])
        }
    }
}
