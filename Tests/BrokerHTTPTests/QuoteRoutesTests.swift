import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

@Suite("POST /v1/quotes")
struct QuoteRoutesTests {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    private let dependencies: APIDependencies
    /// The `Authorization` header of a token the requests carry.
    private let authorization: HTTPFields

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-quotes-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        let book = OfferBook(offers: [
            Self.offer("vast", "a", gpu: "H100 SXM", dollars: 20, region: "Berlin, DE", country: "DE", available: 2),
            Self.offer("vast", "b", gpu: "A100 SXM4", dollars: 12, region: "Paris, FR", country: "FR", available: 2),
            Self.offer("aws", "c", gpu: "H100 SXM", dollars: 14, region: "us-east-1a", country: "US", available: 2),
        ])
        dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), market: LiveMarket(book),
            clock: ManualClock(now: Self.now))
        authorization = try await TestToken.issue(database)
    }

    private static func offer(
        _ provider: String, _ native: String, gpu: String, dollars: Double, region: String, country: String,
        available: Int
    ) -> Offer {
        Offer(
            id: OfferID(provider: provider, native: native), gpu: GPUName(resolving: gpu, memoryGB: 80), gpuCount: 8,
            gpuMemoryGB: 80, interconnect: "nvlink", vcpus: 96, memoryGB: 1024, diskGB: 2000, region: region,
            country: country, market: .onDemand, pricePerHour: Money(dollars: dollars)!, available: available,
            reliability: nil, firstSeenAt: now, lastSeenAt: now, raw: nil)
    }

    private func post<T: Decodable & Sendable>(_ body: String, as type: T.Type, status: HTTPResponse.Status)
        async throws
        -> T
    {
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/quotes", method: .post, headers: authorization, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == status)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                return try decoder.decode(T.self, from: Data(buffer: response.body))
            }
        }
    }

    private func spec(countries: String, cap: Double) -> String {
        """
        {"name": "llama", "resources": {"gpu": ["H100", "A100-80GB"], "gpus_per_node": 8, "nodes": 2},
         "placement": {"countries": [\(countries)]}, "market": "on_demand", "max_price_per_hour": \(cap),
         "work": {"gpu_hours": 256, "reference_gpu": "A100-80GB"},
         "image": "nvcr.io/nvidia/pytorch:24.05-py3", "command": ["torchrun", "train.py"]}
        """
    }

    @Test func placementsAreRankedByCostToFinishWithTheirNodes() async throws {
        let quote = try await post(spec(countries: #""DE", "FR""#, cap: 50), as: QuoteResponse.self, status: .ok)
        #expect(quote.reason == nil)
        // The H100 gang costs more per hour but finishes about three times sooner.
        #expect(quote.placements.map(\.gpu) == ["H100-SXM", "A100-80GB"])
        let best = try #require(quote.placements.first)
        #expect(best.pricePerHour == 40 && best.market == "on_demand")
        #expect(best.nodes.map(\.rank) == [0, 1])
        #expect(best.nodes.map(\.offer.id) == ["vast:a", "vast:a"])
        let hours = try #require(best.estimatedHours)
        #expect(abs(hours - 256 / (3.17 * 16)) < 0.01)
        #expect(best.estimatedCost.map { abs($0 - 40 * 256 / (3.17 * 16)) < 0.01 } == true)
    }

    @Test func nothingThatFitsIsAnAnswerWithItsReason() async throws {
        let quote = try await post(spec(countries: #""DE""#, cap: 30), as: QuoteResponse.self, status: .ok)
        #expect(quote.placements.isEmpty)
        #expect(quote.reason?.contains("$40.00/h against a cap of $30.00/h") == true)
    }

    @Test func anInvalidSpecIsA400NamingEachField() async throws {
        let problem = try await post(
            #"{"name": "", "resources": {"gpu": ["Z9000"], "gpus_per_node": 8, "nodes": 0}, "image": "x", "command": ["y"], "colour": "red"}"#,
            as: ProblemDetails.self, status: .badRequest)
        let fields = Set(problem.errors?.map(\.field) ?? [])
        #expect(fields.isSuperset(of: ["name", "resources.gpu[0]", "resources.nodes", "colour"]))
    }
}
