import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Lambda Cloud pricing")
struct LambdaPricingSourceTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func parse(_ fixture: String) throws -> PricingSnapshot {
        try LambdaPricingSource.parse(
            Fixture.bytes(fixture, provider: "lambda"), providerID: "lambda", catalog: .standard, now: now)
    }

    private let source = LambdaPricingSource(
        providerID: "lambda", baseURL: "http://127.0.0.1:9400/lambda", apiKey: "secret_lambda_key")

    @Test("one offer per instance type and region with capacity; none for sold-out or CPU types")
    func realisticAnswer() throws {
        let snapshot = try parse("instance-types")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.native) == [
                "gpu_1x_a10:us-east-1", "gpu_1x_a10:europe-central-1", "gpu_1x_a10:asia-northeast-1",
                "gpu_1x_a100:us-midwest-1", "gpu_1x_gh200:us-east-3",
                "gpu_8x_h100_sxm5:us-west-3", "gpu_8x_h100_sxm5:us-south-2",
            ])
        #expect(
            snapshot.offers[5]
                == Offer(
                    id: OfferID(provider: "lambda", native: "gpu_8x_h100_sxm5:us-west-3"),
                    gpu: try knownGPU("H100-SXM"),
                    gpuCount: 8,
                    gpuMemoryGB: 80,
                    interconnect: "sxm",
                    vcpus: 208,
                    memoryGB: 1800,
                    diskGB: 24780,
                    region: "us-west-3",
                    country: "US",
                    market: .onDemand,
                    pricePerHour: Money(microdollars: 23_920_000),
                    available: 1,
                    reliability: nil,
                    firstSeenAt: now,
                    lastSeenAt: now,
                    raw: nil
                ))
        let a10 = snapshot.offers[0...2]
        #expect(a10.allSatisfy { $0.gpu == .known(GPUCatalog.standard.model(named: "A10")!) })
        #expect(a10.map(\.country) == ["US", "DE", "JP"])
        #expect(a10.allSatisfy { $0.pricePerHour == Money(microdollars: 750_000) && $0.gpuCount == 1 })
        #expect(a10.allSatisfy { $0.interconnect == "pcie" && $0.gpuMemoryGB == 24 && $0.vcpus == 30 })

        let a100 = snapshot.offers[3]
        #expect(a100.gpu == (try knownGPU("A100-40GB")), "gpu_1x_a100 is the 40 GB card")
        #expect(a100.gpuMemoryGB == 40)
        #expect(a100.pricePerHour == Money(microdollars: 1_290_000))
        let gh200 = snapshot.offers[4]
        #expect(gh200.gpu == (try knownGPU("GH200")))
        #expect(gh200.gpuMemoryGB == 96)
        #expect(gh200.interconnect == nil)
        #expect(gh200.country == "US")
        #expect(snapshot.offers[6].country == "US")
    }

    @Test("prices as strings or fractional cents, counts from the type name, nulls and unknown regions")
    func lenientFields() throws {
        let snapshot = try parse("lenient")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.native) == [
                "gpu_1x_h100_pcie:sa-east-9", "gpu_1x_h100_pcie:us-north-7", "gpu_1x_h100_pcie:moon-1",
                "gpu_2x_a6000:us-south-1",
            ])
        let h100 = snapshot.offers[0]
        #expect(h100.gpu == (try knownGPU("H100-PCIE")))
        #expect(h100.gpuMemoryGB == 80)
        #expect(h100.interconnect == "pcie")
        #expect(h100.pricePerHour == Money(microdollars: 2_490_000))
        #expect(h100.vcpus == 26)
        #expect(h100.memoryGB == 0)
        #expect(h100.diskGB == 0)
        #expect(snapshot.offers[0...2].map(\.country) == ["BR", "US", nil])
        let a6000 = snapshot.offers[3]
        #expect(a6000.gpu == (try knownGPU("RTXA6000")))
        #expect(a6000.gpuCount == 2)
        #expect(a6000.gpuMemoryGB == 48)
        #expect(a6000.pricePerHour == Money(microdollars: 1_605_000))
    }

    @Test("an unknown GPU is kept under Lambda's GPU name and counted")
    func unknownGPU() throws {
        let snapshot = try parse("unknown-gpu")
        #expect(snapshot.offers.count == 1)
        #expect(snapshot.offers[0].gpu == .unknown("RTX 6000"))
        #expect(snapshot.offers[0].gpuMemoryGB == 24)
        #expect(snapshot.unknownGPUNames == ["RTX 6000": 1])
    }

    @Test("types without a price, an instance_type or a GPU count are skipped with the reason")
    func skippedRecords() throws {
        let snapshot = try parse("skipped")
        #expect(snapshot.offers.map(\.id.native) == ["gpu_1x_l4:us-west-1"])
        #expect(snapshot.offers.first?.gpu == (try knownGPU("L4")))
        #expect(
            snapshot.skipped == [
                SkippedRecord(nativeID: "gpu_1x_a10", reason: "no price_cents_per_hour"),
                SkippedRecord(nativeID: "gpu_2x_a10", reason: "no instance_type"),
                SkippedRecord(nativeID: "gpu_4x_a10", reason: "negative price_cents_per_hour"),
                SkippedRecord(nativeID: "gpu_8x_a10", reason: "GPU count is 0"),
                SkippedRecord(nativeID: "mystery", reason: "no GPU count"),
            ])
    }

    @Test("an empty data object is an empty snapshot")
    func emptyList() throws {
        #expect(try parse("empty") == PricingSnapshot(offers: []))
    }

    @Test("Lambda's error envelope becomes an API error with its code, whatever the status")
    func errorEnvelope() async throws {
        let body = try Fixture.bytes("error", provider: "lambda")
        let expected = ProviderError.api(
            code: "global/invalid-api-key", message: "API key was invalid, expired, or deleted.")
        for status in [401, 403, 500] {
            await #expect(throws: expected) {
                try await source.fetchOffers(transport: RecordedTransport(status: status, body: body), now: now)
            }
        }
        await #expect(throws: ProviderError.unauthorized(status: 401)) {
            try await source.fetchOffers(transport: RecordedTransport(status: 401, body: "Unauthorized"), now: now)
        }
    }

    @Test("HTTP 429 with Retry-After is rate limiting, even with an error body")
    func rateLimited() async throws {
        let transport = RecordedTransport(
            status: 429, headers: ["Retry-After": "2"],
            body: #"{"error": {"code": "global/too-many-requests", "message": "Slow down"}}"#)
        await #expect(throws: ProviderError.rateLimited(retryAfterSeconds: 2)) {
            try await source.fetchOffers(transport: transport, now: now)
        }
    }

    @Test("a body cut off halfway is malformed; so is one without data")
    func malformed() throws {
        let truncated = try Fixture.truncated("instance-types", provider: "lambda")
        #expect(throws: ProviderError.malformed("not valid JSON (cut off or corrupt)")) {
            try LambdaPricingSource.parse(truncated, providerID: "lambda", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("missing 'data'")) {
            try LambdaPricingSource.parse(
                Array(#"{"instance_types": {}}"#.utf8), providerID: "lambda", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("expected an object at 'data'")) {
            try LambdaPricingSource.parse(
                Array(#"{"data": []}"#.utf8), providerID: "lambda", catalog: .standard, now: now)
        }
    }

    @Test("the request: GET /api/v1/instance-types with a bearer token")
    func request() async throws {
        let transport = RecordedTransport(body: try Fixture.bytes("instance-types", provider: "lambda"))
        let snapshot = try await source.fetchOffers(transport: transport, now: now)
        #expect(snapshot.offers.count == 7)
        let request = try #require(transport.lastRequest)
        #expect(transport.requests.count == 1)
        #expect(request.method == .get)
        #expect(request.url == "http://127.0.0.1:9400/lambda/api/v1/instance-types")
        #expect(request.headers["Authorization"] == "Bearer secret_lambda_key")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.body == nil)
        #expect(request.timeout == .seconds(30))
        #expect(request.retry.maxAttempts <= 2)
    }
}
