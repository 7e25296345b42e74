import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Offers: ingest, expiry, price history and search")
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

    private func ingest(_ batch: [Offer], _ provider: String, at seconds: Double) async throws -> IngestSummary {
        let now = start.addingTimeInterval(seconds)
        return try await offers.ingest(batch, provider: provider, at: now, expiredBefore: now.addingTimeInterval(-300))
    }

    @Test func ingestedOffersAreSearchableCheapestFirstAndKeepFirstSeen() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 14.32)], "vast", at: 0)
        _ = try await ingest([offer("vast", "1", dollars: 19), offer("vast", "2", dollars: 14.32)], "vast", at: 60)
        let page = try await offers.search(OfferFilter(), after: nil, limit: 10)
        #expect(page.offers.map(\.id.description) == ["vast:2", "vast:1"])
        #expect(page.offers.last?.pricePerHour == Money(microdollars: 19_000_000))
        #expect(page.offers.last?.firstSeenAt == start)
        #expect(page.offers.last?.lastSeenAt == start.addingTimeInterval(60))
        #expect(page.next == nil)
    }

    @Test func offersNotSeenForTheExpiryAreWithdrawnAndComeBackWhenSeenAgain() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 0)
        _ = try await ingest([offer("lambda", "a", dollars: 30)], "lambda", at: 0)
        let later = try await ingest([offer("vast", "1", dollars: 20)], "vast", at: 301)
        #expect(later.withdrawn == 1)
        // Another provider's offers are not touched by vast's poll.
        #expect(try await offers.liveOfferCounts() == ["vast": 1, "lambda": 1])

        _ = try await ingest([offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15)], "vast", at: 400)
        #expect(try await offers.liveOfferCounts()["vast"] == 2)
    }

    @Test func failingProviderOffersExpireThroughTheSweep() async throws {
        _ = try await ingest([offer("vast", "1", dollars: 20)], "vast", at: 0)
        let swept = try await offers.withdrawExpired(
            provider: "vast", before: start.addingTimeInterval(10), at: start.addingTimeInterval(310))
        #expect(swept == 1)
        #expect(try await offers.search(OfferFilter(), after: nil, limit: 10).offers.isEmpty)
    }

    @Test func pricePointsAreWrittenOnlyWhenTheCheapestPriceOfASeriesChanges() async throws {
        let first = try await ingest(
            [offer("vast", "1", dollars: 16), offer("vast", "2", dollars: 24), offer("vast", "3", dollars: 8, market: .spot)],
            "vast", at: 0)
        #expect(first.pricePointsRecorded == 2)
        let unchanged = try await ingest(
            [offer("vast", "1", dollars: 16), offer("vast", "2", dollars: 20), offer("vast", "3", dollars: 8, market: .spot)],
            "vast", at: 60)
        #expect(unchanged.pricePointsRecorded == 0)
        let cheaper = try await ingest(
            [offer("vast", "1", dollars: 12), offer("vast", "3", dollars: 8, market: .spot)], "vast", at: 120)
        #expect(cheaper.pricePointsRecorded == 1)

        let history = try await offers.priceHistory(PriceHistoryQuery(gpu: "H100-SXM", market: .onDemand))
        #expect(history.map(\.pricePerGPUHour) == [Money(microdollars: 2_000_000), Money(microdollars: 1_500_000)])
        #expect(history.map(\.recordedAt) == [start, start.addingTimeInterval(120)])
    }

    @Test func gpuSummaryHasCountCheapestAndMedianPerGPUHour() async throws {
        _ = try await ingest(
            [
                offer("vast", "1", count: 1, dollars: 2), offer("vast", "2", count: 2, dollars: 6),
                offer("vast", "3", count: 1, dollars: 4), offer("vast", "4", count: 4, dollars: 20),
                offer("vast", "5", gpu: "RTX4090", count: 1, dollars: 0.4, market: .spot),
            ], "vast", at: 0)
        let summaries = try await offers.gpuSummaries()
        #expect(
            summaries == [
                GPUMarketSummary(
                    gpu: "H100-SXM", market: .onDemand, offers: 4, cheapestPerGPUHour: Money(microdollars: 2_000_000),
                    medianPerGPUHour: Money(microdollars: 3_500_000)),
                GPUMarketSummary(
                    gpu: "RTX4090", market: .spot, offers: 1, cheapestPerGPUHour: Money(microdollars: 400_000),
                    medianPerGPUHour: Money(microdollars: 400_000)),
            ])
    }

    @Test func pagesFollowEachOtherWithoutGapsOrRepeats() async throws {
        let batch = (0..<25).map { offer("vast", String(format: "%02d", $0), dollars: Double($0 % 5) + 1) }
        _ = try await ingest(batch, "vast", at: 0)
        var seen: [String] = []
        var cursor: OfferCursor?
        repeat {
            let page = try await offers.search(OfferFilter(), after: cursor, limit: 7)
            seen += page.offers.map(\.id.description)
            cursor = try page.next.map { try #require(OfferCursor(token: $0.token)) }
        } while cursor != nil
        let expected = batch.sorted { OfferFilter().orders($0, before: $1) }.map(\.id.description)
        #expect(seen == expected)
    }

    /// The SQL search and `OfferFilter.matches` are two implementations of one definition.
    @Test(arguments: 0..<20)
    func sqlSearchAgreesWithTheInMemoryFilter(seed: Int) async throws {
        var random = SeededRandom(seed: UInt64(seed))
        let gpus = ["H100-SXM", "A100-80GB", "RTX4090", "Z9000"]
        let countries: [String?] = ["US", "DE", "FR", nil]
        let batch = (0..<60).map { index in
            offer(
                ["vast", "lambda", "aws"][index % 3], "o\(index)", gpu: gpus[random.next(4)],
                count: [1, 2, 4, 8][random.next(4)], dollars: Double(random.next(4000)) / 100 + 0.01,
                market: random.next(2) == 0 ? .spot : .onDemand, country: countries[random.next(4)],
                region: ["r1", "r2"][random.next(2)])
        }
        for provider in ["vast", "lambda", "aws"] {
            _ = try await ingest(batch.filter { $0.providerID == provider }, provider, at: 0)
        }
        let filter = OfferFilter(
            gpus: random.next(2) == 0 ? nil : Set(gpus.prefix(1 + random.next(3))),
            minGPUs: random.next(2) == 0 ? nil : [1, 2, 4, 8][random.next(4)],
            market: random.next(2) == 0 ? nil : .spot,
            maxPricePerHour: random.next(2) == 0 ? nil : Money(microdollars: Int64(random.next(40)) * 1_000_000),
            countries: random.next(2) == 0 ? nil : ["US", "DE"],
            regions: random.next(3) == 0 ? ["r1"] : nil,
            providers: random.next(3) == 0 ? ["vast", "aws"] : nil,
            sort: random.next(2) == 0 ? .price : .pricePerGPU)
        let found = try await offers.search(filter, after: nil, limit: 1000).offers.map(\.id.description)
        let expected = batch.filter(filter.matches).sorted { filter.orders($0, before: $1) }.map(\.id.description)
        #expect(found == expected)
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
