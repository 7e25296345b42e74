import BrokerCore
import Foundation
import GRDB
import Synchronization
import Testing

@testable import Store

@Suite("Offers: ingest, expiry and price history")
struct SQLiteOfferRepositoryTests {
    private let offers: SQLiteOfferRepository
    private let providers: SQLiteProviderRepository
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-offers-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        offers = SQLiteOfferRepository(database: database)
        providers = SQLiteProviderRepository(database: database)
        try await providers.sync(
            ["vast", "lambda", "aws"].map {
                ProviderRecord(
                    id: $0, kind: $0, baseUrl: "http://127.0.0.1:9400/\($0)", enabled: true, pollIntervalS: 60,
                    offerExpiryS: 300, createdAt: start)
            })
    }

    private func offer(
        _ provider: String, _ native: String, gpu: String = "H100-SXM", count: Int = 8, dollars: Double,
        market: Market = .onDemand, country: String? = "US", region: String = "us-east-1"
    ) -> Offer {
        Offer(
            id: OfferID(provider: provider, native: native), gpu: GPUName(resolving: gpu), gpuCount: count,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 96, memoryGB: 1024, diskGB: 2000, region: region,
            country: country, market: market, pricePerHour: Money(dollars: dollars)!, available: 1, reliability: 0.99,
            firstSeenAt: start, lastSeenAt: start, raw: nil)
    }

    /// The daemon's book, which works out what each poll changes.
    private let daemon = Daemon()

    private final class Daemon: Sendable {
        let book = Mutex(OfferBook())
    }

    /// A poll of `provider` at `seconds` that listed `batch` (nil: it failed), stored as the
    /// poller stores it: what the book says changed.
    private func ingest(_ batch: [Offer]?, _ provider: String, at seconds: Double) async throws -> IngestSummary {
        let now = start.addingTimeInterval(seconds)
        let listing = batch?.map { offer in
            var offer = offer
            (offer.firstSeenAt, offer.lastSeenAt) = (now, now)
            return offer
        }
        let (updated, changes) = daemon.book.withLock {
            $0.updated(provider: provider, listing: listing, at: now, expiredBefore: now.addingTimeInterval(-300))
        }
        let summary = try await offers.ingest(changes, listing: listing ?? [], provider: provider, at: now)
        daemon.book.withLock { $0 = updated }
        return summary
    }

    private func live() async throws -> [String: Offer] {
        Dictionary(uniqueKeysWithValues: try await offers.liveOffers().map { ($0.id.description, $0) })
    }

    @Test("each poll records a spot series' node count when it changes, and 0 when its offers are gone")
    func spotCapacityIsRecordedOnChange() async throws {
        let spot = [
            offer("aws", "a", dollars: 30, market: .spot), offer("aws", "b", dollars: 31, market: .spot),
            offer("aws", "c", dollars: 90, market: .onDemand),
        ]
        _ = try await ingest(spot, "aws", at: 0)
        _ = try await ingest(spot, "aws", at: 60)
        _ = try await ingest([spot[0]], "aws", at: 120)
        _ = try await ingest([], "aws", at: 180)
        let points = try await offers.spotCapacity(gpus: ["H100-SXM"], gpuCount: 8, since: start)
        #expect(points.map(\.available) == [2, 1, 0])
        #expect(points.map(\.recordedAt) == [0, 120, 180].map { start.addingTimeInterval($0) })
        #expect(
            points.allSatisfy { $0.series == .init(provider: "aws", gpu: "H100-SXM", gpuCount: 8, region: "us-east-1") }
        )
        #expect(try await offers.spotCapacity(gpus: ["A100-80GB"], gpuCount: 8, since: start).isEmpty)
    }

    @Test func ingestedOffersReadBackWithTheirNewPriceAndFirstSeen() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 14.32)], "vast", at: 0)
        let next = try await ingest(
            [offer("vast", "1", dollars: 19), offer("vast", "2", dollars: 14.32)], "vast", at: 60)
        #expect(next.upserted == 1)
        let stored = try await live()
        #expect(stored.keys.sorted() == ["vast:1", "vast:2"])
        let first = try #require(stored["vast:1"])
        #expect(first.pricePerHour == Money(microdollars: 19_000_000))
        #expect(first.firstSeenAt == start)
        #expect(first.lastSeenAt == start.addingTimeInterval(60))
        #expect(first.gpu.name == "H100-SXM" && first.country == "US" && first.reliability == 0.99)
    }

    @Test("an offer listed as it was is not written again, yet reads back as seen at the listing")
    func unchangedOffersAreNotRewritten() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 0)
        let same = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 60)
        #expect(same.upserted == 0)
        #expect(try await live()["vast:2"]?.lastSeenAt == start.addingTimeInterval(60))
        // No longer listed: it keeps the sighting of the last listing that had it.
        _ = try await ingest([offer("vast", "1", dollars: 20)], "vast", at: 120)
        let stored = try await live()
        #expect(stored["vast:1"]?.lastSeenAt == start.addingTimeInterval(120))
        #expect(stored["vast:2"]?.lastSeenAt == start.addingTimeInterval(60))
        #expect(stored["vast:2"]?.firstSeenAt == start)
        // A book built from the store, as at start-up, picks up where the last one left off.
        let listed = try await offers.listingTimes()
        daemon.book.withLock { $0 = OfferBook(offers: Array(stored.values), listedAt: listed) }
        let afterRestart = try await ingest([offer("vast", "1", dollars: 20)], "vast", at: 180)
        #expect(afterRestart.upserted == 0 && afterRestart.withdrawn == 0)
        #expect(try await live()["vast:1"]?.lastSeenAt == start.addingTimeInterval(180))
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

    @Test func offersNotSeenForTheExpiryAreWithdrawnAndComeBackWhenSeenAgain() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 0)
        _ = try await ingest([offer("lambda", "a", dollars: 30)], "lambda", at: 0)
        let later = try await ingest([offer("vast", "1", dollars: 20)], "vast", at: 301)
        #expect(later.withdrawn == 1)
        // Another provider's offers are not touched by vast's poll.
        #expect(try await live().keys.sorted() == ["lambda:a", "vast:1"])

        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 400)
        #expect(try await live().keys.sorted() == ["lambda:a", "vast:1", "vast:2"])
    }

    @Test func failingProviderOffersExpireThroughTheSweep() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20)], "vast", at: 0)
        let early = try await ingest(nil, "vast", at: 200)
        #expect(early.withdrawn == 0)
        #expect(try await live()["vast:1"]?.lastSeenAt == start)
        let swept = try await ingest(nil, "vast", at: 310)
        #expect(swept.withdrawn == 1)
        #expect(try await live().isEmpty)
    }

    @Test func pricePointsAreWrittenOnlyWhenTheCheapestPriceOfASeriesChanges() async throws {
        let first = try await ingest(
            [
                offer("vast", "1", dollars: 16), offer("vast", "2", dollars: 24),
                offer("vast", "3", dollars: 8, market: .spot),
            ],
            "vast", at: 0)
        #expect(first.pricePointsRecorded == 2)
        let unchanged = try await ingest(
            [
                offer("vast", "1", dollars: 16), offer("vast", "2", dollars: 20),
                offer("vast", "3", dollars: 8, market: .spot),
            ],
            "vast", at: 60)
        #expect(unchanged.pricePointsRecorded == 0)
        let cheaper = try await ingest(
            [offer("vast", "1", dollars: 12), offer("vast", "3", dollars: 8, market: .spot)], "vast", at: 120)
        #expect(cheaper.pricePointsRecorded == 1)

        let history = try await offers.priceHistory(PriceHistoryQuery(gpu: "H100-SXM", market: .onDemand))
        #expect(history.map(\.pricePerGPUHour) == [Money(microdollars: 2_000_000), Money(microdollars: 1_500_000)])
        #expect(history.map(\.recordedAt) == [start, start.addingTimeInterval(120)])
    }
}
