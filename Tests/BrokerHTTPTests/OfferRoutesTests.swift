import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

@Suite("Offer search, GPU summary, price history and provider admin over HTTP")
struct OfferRoutesTests {
    private let dependencies: APIDependencies
    /// The `Authorization` header of a token the requests carry.
    private let authorization: HTTPFields
    private static let seen = Date(timeIntervalSince1970: 1_795_000_000)

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-offers-http-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        let providers = SQLiteProviderRepository(database: database)
        try await providers.sync(
            ["vast", "lambda"].map {
                ProviderRecord(
                    id: $0, kind: $0, baseUrl: "http://127.0.0.1:9400/\($0)", enabled: true, pollIntervalS: 60,
                    offerExpiryS: 300, createdAt: Self.seen)
            })
        let vast = [
            Self.offer("vast", "1", "H100 SXM", count: 8, dollars: 14.32, market: .spot, country: "DE"),
            Self.offer("vast", "2", "H100 PCIe", count: 8, dollars: 12, market: .spot, country: "DE"),
            Self.offer("vast", "3", "H100 SXM", count: 4, dollars: 8, market: .spot, country: "DE"),
            Self.offer("vast", "4", "H100 SXM", count: 8, dollars: 20, market: .onDemand, country: "DE"),
            Self.offer("vast", "5", "RTX 4090", count: 8, dollars: 3.2, market: .spot, country: "US"),
        ]
        let lambda = [Self.offer("lambda", "a", "H100 SXM", count: 8, dollars: 23.92, market: .onDemand, country: "US")]
        let offers = SQLiteOfferRepository(database: database)
        for (provider, listing) in [("vast", vast), ("lambda", lambda)] {
            _ = try await offers.ingest(
                OfferChanges(listedAt: Self.seen, upserted: listing), listing: listing, provider: provider,
                at: Self.seen)
        }
        dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), market: try await .loading(from: offers),
            offers: offers, providers: providers)
        authorization = try await TestToken.issue(database)
    }

    private static func offer(
        _ provider: String, _ native: String, _ gpu: String, count: Int, dollars: Double, market: Market,
        country: String
    ) -> Offer {
        Offer(
            id: OfferID(provider: provider, native: native), gpu: GPUName(resolving: gpu, memoryGB: 80),
            gpuCount: count, gpuMemoryGB: 80, interconnect: "nvlink", vcpus: 96, memoryGB: 1024, diskGB: 2000,
            region: "eu-central-1", country: country, market: market, pricePerHour: Money(dollars: dollars)!,
            available: 2, reliability: 0.99, firstSeenAt: seen, lastSeenAt: seen, raw: nil)
    }

    private func get<T: Decodable & Sendable>(_ uri: String, as type: T.Type, status: HTTPResponse.Status = .ok)
        async throws -> T
    {
        try await request(uri, method: .get, as: type, status: status)
    }

    private func request<T: Decodable & Sendable>(
        _ uri: String, method: HTTPRequest.Method, as type: T.Type, status: HTTPResponse.Status = .ok
    ) async throws -> T {
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: authorization) { response in
                #expect(response.status == status)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                return try decoder.decode(T.self, from: Data(buffer: response.body))
            }
        }
    }

    @Test func searchFiltersByFamilyCountMarketAndCountryCheapestFirst() async throws {
        let list = try await get("/v1/offers?gpu=H100&min_gpus=8&market=spot&country=de", as: OfferListResponse.self)
        #expect(list.offers.map(\.id) == ["vast:2", "vast:1"])
        let first = try #require(list.offers.first)
        #expect(first.gpu == "H100-PCIE" && first.gpuCount == 8 && first.market == "spot" && first.country == "DE")
        #expect(first.pricePerHour == 12 && first.pricePerGPUHour == 1.5)
        #expect(first.lastSeenAt == Self.seen)
        #expect(list.nextCursor == nil)
    }

    @Test("a region is matched whole, commas and all (Vast's \"Utah, US\" is not \"US\")")
    func regionWithAComma() async throws {
        let offers = ["Utah, US", "US"].enumerated().map { index, region in
            var offer = Self.offer(
                "vast", "r\(index)", "H100 PCIE", count: 8, dollars: 10, market: .spot, country: "US")
            offer.region = region
            return offer
        }
        var dependencies = dependencies
        dependencies.market = LiveMarket(OfferBook(offers: offers))
        let app = Application(router: buildRouter(dependencies))
        let ids = try await app.test(.router) { client in
            try await client.execute(uri: "/v1/offers?region=Utah,%20US", method: .get, headers: authorization) {
                let list = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any]
                return (list?["offers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
        }
        #expect(ids == ["vast:r0"])
    }

    @Test func searchSortsPerGPUHourAndFiltersByPriceAndProvider() async throws {
        let list = try await get(
            "/v1/offers?sort=price_per_gpu&max_price=21&provider=vast,lambda", as: OfferListResponse.self)
        #expect(list.offers.map(\.id) == ["vast:5", "vast:2", "vast:1", "vast:3", "vast:4"])
    }

    @Test func pagesAreLinkedByCursor() async throws {
        let first = try await get("/v1/offers?limit=4", as: OfferListResponse.self)
        let cursor = try #require(first.nextCursor)
        let second = try await get("/v1/offers?limit=4&cursor=\(cursor)", as: OfferListResponse.self)
        #expect(
            (first.offers + second.offers).map(\.id) == ["vast:5", "vast:3", "vast:2", "vast:1", "vast:4", "lambda:a"])
        #expect(second.nextCursor == nil)
    }

    @Test func badFiltersAreA400NamingEachParameter() async throws {
        let problem = try await get(
            "/v1/offers?gpu=H100,Z9000&min_gpus=0&market=cheap&max_price=-1&country=Germany&cursor=zzz&bogus=1",
            as: ProblemDetails.self, status: .badRequest)
        #expect(
            problem.errors?.map(\.field) == ["bogus", "country", "cursor", "gpu", "market", "max_price", "min_gpus"])
        #expect(problem.errors?.first { $0.field == "gpu" }?.message == "unknown GPU model or family 'Z9000'")
        #expect(problem.errors?.first { $0.field == "bogus" }?.message == "unknown parameter")
    }

    /// "ß" uppercases to "SS", two ASCII letters, but is no country code.
    @Test func aCountryIsTwoASCIILettersAsWritten() async throws {
        let problem = try await get("/v1/offers?country=de,%C3%9F", as: ProblemDetails.self, status: .badRequest)
        #expect(problem.errors == [.init(field: "country", message: "'ß' is not an ISO 3166 alpha-2 code such as DE")])
    }

    @Test func gpuSummaryGroupsByModelAndMarket() async throws {
        let summary = try await get("/v1/gpus", as: GPUListResponse.self)
        let h100 = try #require(summary.gpus.first { $0.gpu == "H100-SXM" })
        #expect(h100.offers == 4 && h100.family == "H100" && h100.memoryGB == 80)
        #expect(h100.markets["spot"]?.cheapestPerGPUHour == 1.79)
        #expect(h100.markets["spot"]?.medianPerGPUHour == 1.895)
        #expect(h100.markets["on_demand"]?.offers == 2)
    }

    @Test func priceHistoryNeedsAKnownGPUAndReturnsPoints() async throws {
        let history = try await get("/v1/prices/history?gpu=H100-SXM&market=spot", as: PriceHistoryResponse.self)
        #expect(history.points.map(\.pricePerGPUHour) == [1.79])
        let missing = try await get("/v1/prices/history", as: ProblemDetails.self, status: .badRequest)
        #expect(missing.errors?.map(\.field) == ["gpu"])
    }

    /// RFC 3339 allows a lowercase `t` and `z`, as the job spec's `deadline` does.
    @Test func priceHistoryReadsAnyRFC3339Time() async throws {
        let before = try await get(
            "/v1/prices/history?gpu=H100-SXM&market=spot&since=2026-11-18t10:06:40z", as: PriceHistoryResponse.self)
        #expect(before.points.map(\.pricePerGPUHour) == [1.79])
        let after = try await get(
            "/v1/prices/history?gpu=H100-SXM&market=spot&since=2026-11-18t12:06:40.5%2B01:00",
            as: PriceHistoryResponse.self)
        #expect(after.points.isEmpty)
    }

    @Test func adminListsProvidersWithHealthAndTogglesThem() async throws {
        let list = try await get("/v1/admin/providers", as: ProviderListResponse.self)
        #expect(list.providers.map(\.id) == ["lambda", "vast"])
        #expect(list.providers.map(\.offers) == [1, 5])
        #expect(list.providers.allSatisfy { $0.status == "healthy" && $0.circuitState == "closed" })

        let disabled = try await request("/v1/admin/providers/vast/disable", method: .post, as: ProviderResponse.self)
        #expect(!disabled.enabled && disabled.status == "disabled")
        let refused = try await request(
            "/v1/admin/providers/vast/poll", method: .post, as: ProblemDetails.self, status: .conflict)
        #expect(refused.detail == "provider 'vast' is disabled; enable it first")
        let missing = try await request(
            "/v1/admin/providers/nope/poll", method: .post, as: ProblemDetails.self, status: .notFound)
        #expect(missing.detail == "no provider 'nope'")
    }
}
