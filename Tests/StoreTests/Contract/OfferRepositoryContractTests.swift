import BrokerCore
import Foundation
import Synchronization
import Testing

@testable import Store

@Suite("Offers on every backend: ingest, expiry and price history")
struct OfferRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

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

    @Test(
        "each poll records a spot series' node count when it changes, and 0 when its offers are gone",
        arguments: StoreBackend.available)
    func spotCapacityIsRecordedOnChange(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            let spot = [
                offer("aws", "a", dollars: 30, market: .spot), offer("aws", "b", dollars: 31, market: .spot),
                offer("aws", "c", dollars: 90, market: .onDemand),
            ]
            _ = try await market.ingest(spot, "aws", at: 0)
            _ = try await market.ingest(spot, "aws", at: 60)
            _ = try await market.ingest([spot[0]], "aws", at: 120)
            _ = try await market.ingest([], "aws", at: 180)
            let points = try await market.offers.spotCapacity(gpus: ["H100-SXM"], gpuCount: 8, since: start)
            #expect(points.map(\.available) == [2, 1, 0])
            #expect(points.map(\.recordedAt) == [0, 120, 180].map { start.addingTimeInterval($0) })
            #expect(
                points.allSatisfy {
                    $0.series == .init(provider: "aws", gpu: "H100-SXM", gpuCount: 8, region: "us-east-1")
                }
            )
            #expect(try await market.offers.spotCapacity(gpus: ["A100-80GB"], gpuCount: 8, since: start).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func ingestedOffersReadBackWithTheirNewPriceAndFirstSeen(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            _ = try await market.ingest(
                [offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 14.32)], "vast", at: 0)
            let next = try await market.ingest(
                [offer("vast", "1", dollars: 19), offer("vast", "2", dollars: 14.32)], "vast", at: 60)
            #expect(next.upserted == 1)
            let stored = try await market.live()
            #expect(stored.keys.sorted() == ["vast:1", "vast:2"])
            let first = try #require(stored["vast:1"])
            #expect(first.pricePerHour == Money(microdollars: 19_000_000))
            #expect(first.firstSeenAt == start)
            #expect(first.lastSeenAt == start.addingTimeInterval(60))
            #expect(first.gpu.name == "H100-SXM" && first.country == "US" && first.reliability == 0.99)
        }
    }

    @Test(
        "an offer listed as it was is not written again, yet reads back as seen at the listing",
        arguments: StoreBackend.available)
    func unchangedOffersAreNotRewritten(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            _ = try await market.ingest(
                [offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 0)
            let same = try await market.ingest(
                [offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 60)
            #expect(same.upserted == 0)
            #expect(try await market.live()["vast:2"]?.lastSeenAt == start.addingTimeInterval(60))
            // No longer listed: it keeps the sighting of the last listing that had it.
            _ = try await market.ingest([offer("vast", "1", dollars: 20)], "vast", at: 120)
            let stored = try await market.live()
            #expect(stored["vast:1"]?.lastSeenAt == start.addingTimeInterval(120))
            #expect(stored["vast:2"]?.lastSeenAt == start.addingTimeInterval(60))
            #expect(stored["vast:2"]?.firstSeenAt == start)
            // A book built from the store, as at start-up, picks up where the last one left off.
            let listed = try await market.offers.listingTimes()
            market.book.withLock { $0 = OfferBook(offers: Array(stored.values), listedAt: listed) }
            let afterRestart = try await market.ingest([offer("vast", "1", dollars: 20)], "vast", at: 180)
            #expect(afterRestart.upserted == 0 && afterRestart.withdrawn == 0)
            #expect(try await market.live()["vast:1"]?.lastSeenAt == start.addingTimeInterval(180))
        }
    }

    @Test(arguments: StoreBackend.available)
    func offersNotSeenForTheExpiryAreWithdrawnAndComeBackWhenSeenAgain(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            _ = try await market.ingest(
                [offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 0)
            _ = try await market.ingest([offer("lambda", "a", dollars: 30)], "lambda", at: 0)
            let later = try await market.ingest([offer("vast", "1", dollars: 20)], "vast", at: 301)
            #expect(later.withdrawn == 1)
            // Another provider's offers are not touched by vast's poll.
            #expect(try await market.live().keys.sorted() == ["lambda:a", "vast:1"])

            _ = try await market.ingest(
                [offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 400)
            #expect(try await market.live().keys.sorted() == ["lambda:a", "vast:1", "vast:2"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func failingProviderOffersExpireThroughTheSweep(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            _ = try await market.ingest([offer("vast", "1", dollars: 20)], "vast", at: 0)
            let early = try await market.ingest(nil, "vast", at: 200)
            #expect(early.withdrawn == 0)
            #expect(try await market.live()["vast:1"]?.lastSeenAt == start)
            let swept = try await market.ingest(nil, "vast", at: 310)
            #expect(swept.withdrawn == 1)
            #expect(try await market.live().isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func pricePointsAreWrittenOnlyWhenTheCheapestPriceOfASeriesChanges(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            let first = try await market.ingest(
                [
                    offer("vast", "1", dollars: 16), offer("vast", "2", dollars: 24),
                    offer("vast", "3", dollars: 8, market: .spot),
                ],
                "vast", at: 0)
            #expect(first.pricePointsRecorded == 2)
            let unchanged = try await market.ingest(
                [
                    offer("vast", "1", dollars: 16), offer("vast", "2", dollars: 20),
                    offer("vast", "3", dollars: 8, market: .spot),
                ],
                "vast", at: 60)
            #expect(unchanged.pricePointsRecorded == 0)
            let cheaper = try await market.ingest(
                [offer("vast", "1", dollars: 12), offer("vast", "3", dollars: 8, market: .spot)], "vast", at: 120)
            #expect(cheaper.pricePointsRecorded == 1)

            let history = try await market.offers.priceHistory(PriceHistoryQuery(gpu: "H100-SXM", market: .onDemand))
            #expect(history.map(\.pricePerGPUHour) == [Money(microdollars: 2_000_000), Money(microdollars: 1_500_000)])
            #expect(history.map(\.recordedAt) == [start, start.addingTimeInterval(120)])
        }
    }
    @Test("a poll of thousands of offers is stored whole, missing values as missing", arguments: StoreBackend.available)
    func aLargePollIsStoredWhole(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let market = try await OfferMarket(store, start: start)
            let listing = (0..<2_500).map { index in
                var offer = offer("vast", "\(index)", dollars: 10 + Double(index % 7), country: index == 7 ? nil : "US")
                if index == 7 { (offer.reliability, offer.interconnect, offer.raw) = (nil, "nvlink", #"{"id":7}"#) }
                return offer
            }
            #expect(try await market.ingest(listing, "vast", at: 0).upserted == 2_500)
            var repriced = listing
            repriced[2_499].pricePerHour = Money(dollars: 3)!
            #expect(try await market.ingest(repriced, "vast", at: 60).upserted == 1)
            let stored = try await market.live()
            #expect(stored.count == 2_500)
            #expect(stored["vast:2499"]?.pricePerHour == Money(dollars: 3))
            let seventh = try #require(stored["vast:7"])
            #expect(seventh.country == nil && seventh.reliability == nil)
            #expect(seventh.interconnect == "nvlink" && seventh.raw == #"{"id":7}"#)
            #expect(stored["vast:8"]?.interconnect == nil && stored["vast:8"]?.raw == nil)
            #expect(stored["vast:8"]?.country == "US" && stored["vast:8"]?.reliability == 0.99)
        }
    }
}

/// The offers of one backend as one broker sees them: its book works out what each poll changes.
private final class OfferMarket: Sendable {
    let offers: any OfferRepository
    let book = Mutex(OfferBook())
    private let start: Date

    /// Providers vast, lambda and aws, no offers yet.
    init(_ store: BrokerStore, start: Date) async throws {
        offers = store.offers()
        self.start = start
        try await store.providers.sync(
            ["vast", "lambda", "aws"].map {
                ProviderRecord(
                    id: $0, kind: $0, baseUrl: "http://127.0.0.1:9400/\($0)", enabled: true, pollIntervalS: 60,
                    offerExpiryS: 300, createdAt: start)
            })
    }

    /// A poll of `provider` at `seconds` that listed `batch` (nil: it failed), stored as the
    /// poller stores it: what the book says changed.
    func ingest(_ batch: [Offer]?, _ provider: String, at seconds: Double) async throws -> IngestSummary {
        let now = start.addingTimeInterval(seconds)
        let listing = batch?.map { offer in
            var offer = offer
            (offer.firstSeenAt, offer.lastSeenAt) = (now, now)
            return offer
        }
        let (updated, changes) = book.withLock {
            $0.updated(provider: provider, listing: listing, at: now, expiredBefore: now.addingTimeInterval(-300))
        }
        let summary = try await offers.ingest(changes, listing: listing ?? [], provider: provider, at: now)
        book.withLock { $0 = updated }
        return summary
    }

    func live() async throws -> [String: Offer] {
        Dictionary(uniqueKeysWithValues: try await offers.liveOffers().map { ($0.id.description, $0) })
    }
}
