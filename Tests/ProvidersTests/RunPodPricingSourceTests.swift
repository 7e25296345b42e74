import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("RunPod pricing")
struct RunPodPricingSourceTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func parse(_ fixture: String) throws -> PricingSnapshot {
        try RunPodPricingSource.parse(
            Fixture.bytes(fixture, provider: "runpod"), providerID: "runpod", catalog: .standard, now: now)
    }

    private func source(apiKey: String? = "rpa_SECRET123") -> RunPodPricingSource {
        RunPodPricingSource(providerID: "runpod", baseURL: "http://127.0.0.1:9400/runpod", apiKey: apiKey)
    }

    @Test("offers for 1, 2, 4, 8 GPUs up to maxGpuCount, per cloud with a price, on demand and spot")
    func realisticAnswer() throws {
        let snapshot = try parse("gpu-types")
        #expect(snapshot.skipped.isEmpty)
        let h100 = "NVIDIA H100 80GB HBM3"
        let rtx = "NVIDIA GeForce RTX 4090"
        let a100 = "NVIDIA A100 80GB PCIe"
        #expect(
            snapshot.offers.map(\.id.native)
                == [
                    "\(h100):secure:1", "\(h100):secure:2", "\(h100):secure:4", "\(h100):secure:8",
                    "\(h100):secure:1:spot", "\(h100):secure:2:spot", "\(h100):secure:4:spot", "\(h100):secure:8:spot",
                    "\(h100):community:1", "\(h100):community:2", "\(h100):community:4", "\(h100):community:8",
                    "\(h100):community:1:spot", "\(h100):community:2:spot", "\(h100):community:4:spot",
                    "\(h100):community:8:spot",
                    "\(rtx):secure:1", "\(rtx):secure:2", "\(rtx):community:1", "\(rtx):community:2",
                    "\(rtx):community:1:spot", "\(rtx):community:2:spot",
                    "\(a100):secure:1", "\(a100):secure:2", "\(a100):secure:4", "\(a100):secure:8",
                    "\(a100):secure:1:spot", "\(a100):secure:2:spot", "\(a100):secure:4:spot", "\(a100):secure:8:spot",
                ])

        #expect(
            snapshot.offers[7]
                == Offer(
                    id: OfferID(provider: "runpod", native: "NVIDIA H100 80GB HBM3:secure:8:spot"),
                    gpu: try knownGPU("H100-SXM"),
                    gpuCount: 8,
                    gpuMemoryGB: 80,
                    interconnect: nil,
                    vcpus: 0,
                    memoryGB: 0,
                    diskGB: 0,
                    region: "secure",
                    country: nil,
                    market: .spot,
                    pricePerHour: Money(microdollars: 14_000_000),
                    available: 10,
                    reliability: nil,
                    firstSeenAt: now,
                    lastSeenAt: now,
                    raw: nil
                ))
        let h100Community4 = snapshot.offers[10]
        #expect(h100Community4.market == .onDemand)
        #expect(h100Community4.region == "community")
        #expect(h100Community4.pricePerHour == Money(microdollars: 10_760_000))

        let rtx2 = snapshot.offers[19]
        #expect(rtx2.id.native == "\(rtx):community:2")
        #expect(rtx2.gpu == (try knownGPU("RTX4090")))
        #expect(rtx2.gpuMemoryGB == 24)
        #expect(rtx2.pricePerHour == Money(microdollars: 680_000))
        #expect(rtx2.available == 5)
        #expect(snapshot.offers[21].pricePerHour == Money(microdollars: 400_000))
        #expect(snapshot.offers[21].market == .spot)

        let a100Secure1 = snapshot.offers[22]
        #expect(a100Secure1.gpu == (try knownGPU("A100-80GB")))
        #expect(a100Secure1.available == 1)
        #expect(a100Secure1.pricePerHour == Money(microdollars: 1_640_000))
        #expect(snapshot.offers[29].pricePerHour == Money(microdollars: 6_560_000))
        #expect(snapshot.offers.allSatisfy { $0.country == nil && $0.firstSeenAt == now && $0.lastSeenAt == now })
        #expect(snapshot.offers.allSatisfy { $0.gpuCount <= 8 })
    }

    @Test("prices and counts sent as strings, nulls and missing fields")
    func lenientFields() throws {
        let snapshot = try parse("lenient")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.native) == [
                "NVIDIA L40S:secure:1", "NVIDIA L40S:secure:2", "NVIDIA H100 NVL:secure:1",
            ])
        let l40s = snapshot.offers[1]
        #expect(l40s.gpu == (try knownGPU("L40S")))
        #expect(l40s.gpuMemoryGB == 48, "memoryInGb null: the catalog's memory")
        #expect(l40s.pricePerHour == Money(microdollars: 1_720_000))
        #expect(l40s.available == 10)
        let nvl = snapshot.offers[2]
        #expect(nvl.gpu == (try knownGPU("H100-NVL")))
        #expect(nvl.gpuMemoryGB == 94)
        #expect(nvl.pricePerHour == Money(microdollars: 2_790_000))
        #expect(nvl.available == 1)
    }

    @Test("an unknown GPU is kept under RunPod's id and counted")
    func unknownGPU() throws {
        let snapshot = try parse("unknown-gpu")
        #expect(snapshot.offers.count == 2)
        #expect(snapshot.unknownGPUNames == ["NVIDIA RTX PRO 6000 Blackwell Server Edition": 2])
        #expect(snapshot.offers[1].gpuMemoryGB == 96)
        #expect(snapshot.offers[1].pricePerHour == Money(microdollars: 3_580_000))
    }

    @Test("types without a price, an id or a GPU count are skipped with the reason")
    func skippedRecords() throws {
        let snapshot = try parse("skipped")
        #expect(snapshot.offers.map(\.id.native) == ["NVIDIA A40:secure:1"])
        #expect(
            snapshot.skipped == [
                SkippedRecord(nativeID: "NVIDIA H200", reason: "no price"),
                SkippedRecord(nativeID: nil, reason: "no id"),
                SkippedRecord(nativeID: "NVIDIA L4", reason: "maxGpuCount is 0"),
                SkippedRecord(nativeID: "NVIDIA RTX A6000", reason: "negative securePrice"),
                SkippedRecord(nativeID: "NVIDIA RTX A5000", reason: "no maxGpuCount"),
            ])
    }

    @Test("an empty list is an empty snapshot")
    func emptyList() throws {
        #expect(try parse("empty") == PricingSnapshot(offers: []))
    }

    @Test("GraphQL errors with HTTP 200 become an API error")
    func errorEnvelope() async throws {
        let transport = RecordedTransport(body: try Fixture.bytes("error", provider: "runpod"))
        await #expect(
            throws: ProviderError.api(
                code: "INTERNAL_SERVER_ERROR",
                message: "Something went wrong. Please try again later or contact support.")
        ) {
            try await source().fetchOffers(transport: transport, now: now)
        }
    }

    @Test("no error carries the API key, even when the provider echoes the URL")
    func keyNeverInErrors() async throws {
        let echo = try Fixture.bytes("unauthorized", provider: "runpod")
        for status in [200, 401] {
            do {
                _ = try await source().fetchOffers(transport: RecordedTransport(status: status, body: echo), now: now)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains("SECRET123"))
                #expect(error.description.contains("<redacted>"))
                guard case .api(nil, let message) = error else {
                    Issue.record("expected .api, got \(error)")
                    continue
                }
                #expect(message.hasPrefix("Unauthorized request, please check your API key"))
            }
        }
        let html = RecordedTransport(status: 500, body: "<p>no route for /graphql?api_key=rpa_SECRET123</p>")
        await #expect(
            throws: ProviderError.http(status: 500, snippet: "<p>no route for /graphql?api_key=<redacted></p>")
        ) {
            try await source().fetchOffers(transport: html, now: now)
        }
        struct LeakyError: Error, CustomStringConvertible {
            var description: String { "could not reach http://127.0.0.1:9400/runpod/graphql?api_key=rpa_SECRET123" }
        }
        await #expect(
            throws: ProviderError.transport("could not reach http://127.0.0.1:9400/runpod/graphql?api_key=<redacted>")
        ) {
            try await source().fetchOffers(transport: RecordedTransport(failing: LeakyError()), now: now)
        }
    }

    @Test("a body cut off halfway is malformed; so is one without data.gpuTypes")
    func malformed() throws {
        let truncated = try Fixture.truncated("gpu-types", provider: "runpod")
        #expect(throws: ProviderError.malformed("not valid JSON (cut off or corrupt)")) {
            try RunPodPricingSource.parse(truncated, providerID: "runpod", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("missing 'data.gpuTypes'")) {
            try RunPodPricingSource.parse(
                Array(#"{"data": {}}"#.utf8), providerID: "runpod", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("missing 'data'")) {
            try RunPodPricingSource.parse(
                Array(#"{"data": null}"#.utf8), providerID: "runpod", catalog: .standard, now: now)
        }
    }

    @Test("HTTP 429 with Retry-After is rate limiting")
    func rateLimited() async throws {
        let transport = RecordedTransport(status: 429, headers: ["Retry-After": "30"], body: "")
        await #expect(throws: ProviderError.rateLimited(retryAfterSeconds: 30)) {
            try await source().fetchOffers(transport: transport, now: now)
        }
    }

    @Test("the request: POST /graphql with the key in Authorization and the gpuTypes query as JSON")
    func request() async throws {
        let transport = RecordedTransport(body: try Fixture.bytes("gpu-types", provider: "runpod"))
        let snapshot = try await source(apiKey: "rpa_A+B/C").fetchOffers(transport: transport, now: now)
        #expect(snapshot.offers.count == 30)
        let request = try #require(transport.lastRequest)
        #expect(transport.requests.count == 1)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:9400/runpod/graphql")
        #expect(request.headers["Authorization"] == "Bearer rpa_A+B/C")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.timeout == .seconds(30))
        #expect(request.retry.maxAttempts <= 2)
        let query = try #require(request.jsonBody?["query"] as? String)
        #expect(query == RunPodPricingSource.gpuTypesQuery)
        for field in [
            "gpuTypes", "id", "displayName", "memoryInGb", "secureCloud", "communityCloud", "securePrice",
            "communityPrice", "secureSpotPrice", "communitySpotPrice", "maxGpuCount",
            "lowestPrice(input: {gpuCount: 1})", "minimumBidPrice", "uninterruptablePrice", "stockStatus",
        ] {
            #expect(query.contains(field), "query asks \(field)")
        }
    }
}
