import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Vast.ai pricing")
struct VastPricingSourceTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func parse(_ fixture: String) throws -> PricingSnapshot {
        try VastPricingSource.parse(
            Fixture.bytes(fixture, provider: "vast"), providerID: "vast", catalog: .standard, now: now)
    }

    @Test("a realistic answer gives an on-demand offer per record and a spot offer per positive min_bid")
    func realisticAnswer() throws {
        let snapshot = try parse("offers")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.description) == [
                "vast:7835610", "vast:7835610:spot", "vast:9120044", "vast:8800121", "vast:8800121:spot",
            ])

        let rtx = snapshot.offers[0]
        #expect(
            rtx
                == Offer(
                    id: OfferID(provider: "vast", native: "7835610"),
                    gpu: try knownGPU("RTX4090"),
                    gpuCount: 1,
                    gpuMemoryGB: 24,
                    interconnect: nil,
                    vcpus: 16,
                    memoryGB: 63,
                    diskGB: 121,
                    region: "Oregon, US",
                    country: "US",
                    market: .onDemand,
                    pricePerHour: Money(microdollars: 401_100),
                    available: 1,
                    reliability: 0.9973,
                    firstSeenAt: now,
                    lastSeenAt: now,
                    raw: nil
                ))
        let rtxSpot = snapshot.offers[1]
        #expect(rtxSpot.id == OfferID(provider: "vast", native: "7835610:spot"))
        #expect(rtxSpot.market == .spot)
        #expect(rtxSpot.pricePerHour == Money(microdollars: 250_000))
        #expect(rtxSpot.gpu == rtx.gpu && rtxSpot.region == rtx.region && rtxSpot.gpuCount == 1)

        let h100 = snapshot.offers[2]
        #expect(h100.gpu == (try knownGPU("H100-SXM")))
        #expect(h100.gpuCount == 8)
        #expect(h100.gpuMemoryGB == 80)
        #expect(h100.vcpus == 192)
        #expect(h100.memoryGB == 2016)
        #expect(h100.diskGB == 3500)
        #expect(h100.pricePerHour == Money(microdollars: 17_066_700))
        #expect(h100.market == .onDemand)
        #expect(h100.region == "Quebec, CA")
        #expect(h100.country == "CA")
        #expect(h100.reliability == 0.998)

        let a100 = snapshot.offers[3]
        #expect(a100.gpu == (try knownGPU("A100-80GB")))
        #expect(a100.gpuCount == 2)
        #expect(a100.gpuMemoryGB == 80)
        #expect(a100.vcpus == 25)
        #expect(a100.region == "CA")
        #expect(a100.country == "CA")
        #expect(a100.pricePerHour == Money(microdollars: 2_935_000))
        #expect(snapshot.offers[4].pricePerHour == Money(microdollars: 1_400_000))
        #expect(snapshot.offers.allSatisfy { $0.firstSeenAt == now && $0.lastSeenAt == now && $0.available == 1 })
        #expect(snapshot.unknownGPUNames.isEmpty)
    }

    @Test("numbers sent as strings are read, decimal prices exactly; nulls and missing optionals are tolerated")
    func lenientFields() throws {
        let snapshot = try parse("lenient")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.native) == ["5550001", "5550001:spot", "5550002", "5550003"])

        let strings = snapshot.offers[0]
        #expect(strings.gpu == (try knownGPU("RTX3090")))
        #expect(strings.gpuCount == 2)
        #expect(strings.gpuMemoryGB == 24)
        #expect(strings.vcpus == 12)
        #expect(strings.memoryGB == 0)
        #expect(strings.diskGB == 0)
        #expect(strings.pricePerHour == Money(microdollars: 287_000))
        #expect(snapshot.offers[1].pricePerHour == Money(microdollars: 150_000))
        #expect(strings.reliability == nil)
        #expect(strings.region == "unknown")
        #expect(strings.country == nil)

        let sparse = snapshot.offers[2]
        #expect(sparse.gpu == (try knownGPU("L40S")))
        #expect(sparse.gpuMemoryGB == 48, "no gpu_ram: the catalog's memory")
        #expect(sparse.gpuCount == 4)
        #expect(sparse.pricePerHour == Money(microdollars: 3_100_000))
        #expect(sparse.market == .onDemand)

        let floatCount = snapshot.offers[3]
        #expect(floatCount.gpuCount == 1)
        #expect(floatCount.gpu == (try knownGPU("A100-40GB")), "gpu_ram 40960 MB picks the 40 GB A100")
        #expect(floatCount.country == "SE")
        #expect(floatCount.region == "Stockholm, Sweden")
    }

    @Test("an unknown GPU name is kept under its own name and counted")
    func unknownGPU() throws {
        let snapshot = try parse("unknown-gpu")
        #expect(snapshot.offers.count == 3)
        #expect(snapshot.offers[0].gpu == .unknown("RTX 5880 Ada"))
        #expect(snapshot.offers[0].gpuMemoryGB == 48)
        #expect(snapshot.offers[0].country == "US")
        #expect(snapshot.unknownGPUNames == ["RTX 5880 Ada": 2])
        #expect(snapshot.offers[2].gpu == (try knownGPU("RTX4090")))
    }

    @Test("records without a price, a GPU count or an id become skipped records with the reason")
    func skippedRecords() throws {
        let snapshot = try parse("skipped")
        #expect(snapshot.offers.map(\.id.native) == ["7000006"])
        #expect(
            snapshot.skipped == [
                SkippedRecord(nativeID: "7000001", reason: "no dph_total"),
                SkippedRecord(nativeID: "7000002", reason: "num_gpus is 0"),
                SkippedRecord(nativeID: "7000003", reason: "no num_gpus"),
                SkippedRecord(nativeID: "7000004", reason: "negative dph_total"),
                SkippedRecord(nativeID: "7000005", reason: "dph_total is not a number"),
                SkippedRecord(nativeID: nil, reason: "no id"),
                SkippedRecord(nativeID: nil, reason: "record is not an object"),
            ])
    }

    @Test("an empty offer list is an empty snapshot")
    func emptyList() throws {
        let snapshot = try parse("empty")
        #expect(snapshot == PricingSnapshot(offers: [], skipped: []))
    }

    @Test("a body cut off halfway is malformed")
    func truncatedBody() throws {
        let body = try Fixture.truncated("offers", provider: "vast")
        #expect(throws: ProviderError.malformed("not valid JSON (cut off or corrupt)")) {
            try VastPricingSource.parse(body, providerID: "vast", catalog: .standard, now: now)
        }
    }

    @Test("a body of the wrong shape is malformed")
    func wrongShape() throws {
        #expect(throws: ProviderError.malformed("missing 'offers'")) {
            try VastPricingSource.parse(
                Array(#"{"bundles": []}"#.utf8), providerID: "vast", catalog: .standard, now: now)
        }
        let wrong = try Fixture.bytes("wrong-shape", provider: "vast")
        #expect(throws: ProviderError.malformed("expected an array at 'offers'")) {
            try VastPricingSource.parse(wrong, providerID: "vast", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("expected an object at the top level")) {
            try VastPricingSource.parse(Array("[1, 2]".utf8), providerID: "vast", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("empty body")) {
            try VastPricingSource.parse([], providerID: "vast", catalog: .standard, now: now)
        }
    }

    @Test("the request: POST /api/v0/bundles/ with the search query and a bearer token")
    func request() async throws {
        let transport = RecordedTransport(body: try Fixture.bytes("offers", provider: "vast"))
        let source = VastPricingSource(providerID: "vast", baseURL: "http://127.0.0.1:9400/vast/", apiKey: "vk-123")
        let snapshot = try await source.fetchOffers(transport: transport, now: now)
        #expect(snapshot.offers.count == 5)

        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:9400/vast/api/v0/bundles/")
        #expect(request.headers["Authorization"] == "Bearer vk-123")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.timeout == .seconds(30))
        #expect(request.retry.maxAttempts <= 2)
        let body = try #require(request.jsonBody)
        #expect((body["rentable"] as? [String: Bool]) == ["eq": true])
        #expect(body["type"] as? String == "on-demand")
        #expect((body["order"] as? [[String]]) == [["dph_total", "asc"]])
        #expect(body["limit"] as? Int == 100_000)
    }

    @Test("the limit is configurable and no Authorization header is sent without a key")
    func requestWithoutKey() throws {
        let request = VastPricingSource(providerID: "v", baseURL: "https://console.vast.ai", apiKey: nil, limit: 500)
            .pricingRequest()
        #expect(request.headers["Authorization"] == nil)
        #expect(request.jsonBody?["limit"] as? Int == 500)
    }

    @Test("Vast's error envelope becomes an API error")
    func errorEnvelope() async throws {
        let body = try Fixture.bytes("error", provider: "vast")
        let source = VastPricingSource(providerID: "vast", baseURL: "http://vast.test", apiKey: "k")
        await #expect(throws: ProviderError.api(code: "auth_error", message: "Invalid or missing API key.")) {
            try await source.fetchOffers(transport: RecordedTransport(status: 401, body: body), now: now)
        }
        await #expect(throws: ProviderError.api(code: "auth_error", message: "Invalid or missing API key.")) {
            try await source.fetchOffers(transport: RecordedTransport(status: 200, body: body), now: now)
        }
    }

    @Test("HTTP 429 with Retry-After is rate limiting; a 502 with an HTML body is an HTTP error")
    func rateLimited() async throws {
        let source = VastPricingSource(providerID: "vast", baseURL: "http://vast.test", apiKey: "k")
        let limited = RecordedTransport(
            status: 429, headers: ["Retry-After": "17"], body: #"{"success": false, "error": "rate_limited"}"#)
        await #expect(throws: ProviderError.rateLimited(retryAfterSeconds: 17)) {
            try await source.fetchOffers(transport: limited, now: now)
        }
        await #expect(throws: ProviderError.http(status: 502, snippet: "<html>Bad gateway</html>")) {
            try await source.fetchOffers(
                transport: RecordedTransport(status: 502, body: "<html>Bad gateway</html>"), now: now)
        }
    }

    @Test("a transport failure is a transport error")
    func transportFailure() async throws {
        let source = VastPricingSource(providerID: "vast", baseURL: "http://vast.test", apiKey: "k")
        await #expect(throws: ProviderError.transport("request timed out")) {
            try await source.fetchOffers(transport: RecordedTransport(failing: CurlHTTPError.timedOut), now: now)
        }
    }
}
