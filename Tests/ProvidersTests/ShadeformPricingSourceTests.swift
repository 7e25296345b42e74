import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Shadeform pricing")
struct ShadeformPricingSourceTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func parse(_ fixture: String) throws -> PricingSnapshot {
        try ShadeformPricingSource.parse(
            Fixture.bytes(fixture, provider: "shadeform"), providerID: "shadeform", catalog: .standard, now: now)
    }

    private let source = ShadeformPricingSource(
        providerID: "shadeform", baseURL: "http://127.0.0.1:9400/shadeform", apiKey: "sf-key-1")

    @Test("one offer per instance type and region where it is available")
    func realisticAnswer() throws {
        let snapshot = try parse("instance-types")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.native) == [
                "hyperstack:A6000:canada-1", "hyperstack:A6000:us-1",
                "lambdalabs:H100x8:us-east-1", "lambdalabs:H100x8:us-south-2",
                "datacrunch:A100_80G:FIN-01", "datacrunch:A100_80G:ICE-01",
            ])
        #expect(
            snapshot.offers[2]
                == Offer(
                    id: OfferID(provider: "shadeform", native: "lambdalabs:H100x8:us-east-1"),
                    gpu: try knownGPU("H100-SXM"),
                    gpuCount: 8,
                    gpuMemoryGB: 80,
                    interconnect: "nvlink",
                    vcpus: 208,
                    memoryGB: 1800,
                    diskGB: 24780,
                    region: "us-east-1",
                    country: "US",
                    market: .onDemand,
                    pricePerHour: Money(microdollars: 23_920_000),
                    available: 1,
                    reliability: nil,
                    firstSeenAt: now,
                    lastSeenAt: now,
                    raw: nil
                ))
        let a6000 = snapshot.offers[0]
        #expect(a6000.gpu == (try knownGPU("RTXA6000")))
        #expect(a6000.gpuCount == 1)
        #expect(a6000.gpuMemoryGB == 48)
        #expect(a6000.interconnect == nil, "one GPU: no interconnect, as every provider says it")
        #expect(a6000.pricePerHour == Money(microdollars: 500_000))
        #expect(a6000.vcpus == 8 && a6000.memoryGB == 58 && a6000.diskGB == 100)
        #expect(snapshot.offers.map(\.country) == ["CA", "US", "US", "US", "FI", "IS"])
        let a100 = snapshot.offers[4]
        #expect(a100.gpu == (try knownGPU("A100-80GB")))
        #expect(a100.pricePerHour == Money(microdollars: 1_470_000))
        #expect(a100.region == "FIN-01")
        #expect(snapshot.offers.allSatisfy { $0.market == .onDemand && $0.firstSeenAt == now })
    }

    @Test("numbers and booleans as strings, nulls, and regions named only by their prefix")
    func lenientFields() throws {
        let snapshot = try parse("lenient")
        #expect(snapshot.skipped.isEmpty)
        #expect(
            snapshot.offers.map(\.id.native) == [
                "crusoe:A100x4:us-west-2", "crusoe:A100x4:eu-de-1", "crusoe:A100x4:xx-9",
            ])
        #expect(snapshot.offers.map(\.country) == ["US", "DE", nil])
        let offer = snapshot.offers[0]
        #expect(offer.gpuCount == 4)
        #expect(offer.gpu.model?.family == "A100")
        #expect(offer.gpuMemoryGB == offer.gpu.model?.memoryGB)
        #expect(offer.interconnect == "nvlink")
        #expect(offer.pricePerHour == Money(microdollars: 5_160_000))
        #expect(offer.vcpus == 48 && offer.memoryGB == 480 && offer.diskGB == 0)
    }

    @Test("an unknown GPU is kept under Shadeform's gpu_type and counted")
    func unknownGPU() throws {
        let snapshot = try parse("unknown-gpu")
        #expect(snapshot.offers.count == 1)
        #expect(snapshot.offers[0].gpu == .unknown("MI325X"))
        #expect(snapshot.offers[0].gpuMemoryGB == 256)
        #expect(snapshot.offers[0].country == "US")
        #expect(snapshot.unknownGPUNames == ["MI325X": 1])
    }

    @Test("types without a price, a cloud, a configuration or a GPU count are skipped with the reason")
    func skippedRecords() throws {
        let snapshot = try parse("skipped")
        #expect(snapshot.offers.map(\.id.native) == ["aws:A10G:us-east-1a"])
        #expect(snapshot.offers.first?.gpu == (try knownGPU("A10G")))
        #expect(snapshot.offers.first?.country == "US")
        #expect(
            snapshot.skipped == [
                SkippedRecord(nativeID: "aws:A10G", reason: "no hourly_price"),
                SkippedRecord(nativeID: "A10G", reason: "no cloud or shade_instance_type"),
                SkippedRecord(nativeID: "aws:T4", reason: "negative hourly_price"),
                SkippedRecord(nativeID: "aws:L4", reason: "no configuration"),
                SkippedRecord(nativeID: "aws:V100x0", reason: "num_gpus is 0"),
                SkippedRecord(nativeID: "aws:K80", reason: "no num_gpus"),
            ])
    }

    @Test("an empty list is an empty snapshot")
    func emptyList() throws {
        #expect(try parse("empty") == PricingSnapshot(offers: []))
    }

    /// `unauthorized` is the one error Shadeform documents (`{"message": …}`, docs.shadeform.ai,
    /// Authentication); `error` is the `{"error": …}` shape seen from other APIs, read as well.
    @Test("an error answer becomes an API error with its message", arguments: ["unauthorized", "error"])
    func errorEnvelope(fixture: String) async throws {
        let body = try Fixture.bytes(fixture, provider: "shadeform")
        await #expect(throws: ProviderError.api(code: nil, message: "Invalid API key")) {
            try await source.fetchOffers(transport: RecordedTransport(status: 401, body: body), now: now)
        }
        await #expect(throws: ProviderError.api(code: nil, message: "Invalid API key")) {
            try await source.fetchOffers(transport: RecordedTransport(status: 200, body: body), now: now)
        }
    }

    @Test("types that are not VMs are skipped (nodes boot a Docker script); SXM boards of several GPUs are NVLink")
    func deploymentAndInterconnect() async throws {
        let record = { (type: String, deployment: String, gpus: Int, interconnect: String) in
            #"{"cloud":"massedcompute","shade_instance_type":"\#(type)","cloud_instance_type":"x","hourly_price":250,"#
                + #""deployment_type":"\#(deployment)","configuration":{"memory_in_gb":64,"storage_in_gb":500,"vcpus":16,"#
                + #""num_gpus":\#(gpus),"gpu_type":"A100","interconnect":"\#(interconnect)","vram_per_gpu_in_gb":80,"#
                + #""os_options":[],"gpu_manufacturer":"nvidia"},"availability":[{"region":"us-1","available":true,"display_name":"US"}]}"#
        }
        let body =
            #"{"instance_types":["# + record("A100x4", "vm", 4, "sxm4") + "," + record("A100x2", "vm", 2, "pcie") + ","
            + record("A100c", "container", 1, "pcie") + "," + record("A100b", "baremetal", 8, "sxm4") + "]}"
        let snapshot = try await source.fetchOffers(transport: RecordedTransport(status: 200, body: body), now: now)
        #expect(snapshot.offers.map(\.interconnect) == ["nvlink", "pcie"])
        #expect(
            snapshot.skipped.map(\.reason) == [
                "deployment_type 'container' is not a VM", "deployment_type 'baremetal' is not a VM",
            ])
    }

    @Test("HTTP 429 with Retry-After is rate limiting")
    func rateLimited() async throws {
        let transport = RecordedTransport(status: 429, headers: ["Retry-After": "45"], body: #"{"error": "slow down"}"#)
        await #expect(throws: ProviderError.rateLimited(retryAfterSeconds: 45)) {
            try await source.fetchOffers(transport: transport, now: now)
        }
    }

    @Test("a body cut off halfway is malformed; so is one of the wrong shape")
    func malformed() throws {
        let truncated = try Fixture.truncated("instance-types", provider: "shadeform")
        #expect(throws: ProviderError.malformed("not valid JSON (cut off or corrupt)")) {
            try ShadeformPricingSource.parse(truncated, providerID: "shadeform", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("missing 'instance_types'")) {
            try ShadeformPricingSource.parse(
                Array(#"{"types": []}"#.utf8), providerID: "s", catalog: .standard, now: now)
        }
        #expect(throws: ProviderError.malformed("expected an array at 'instance_types'")) {
            try ShadeformPricingSource.parse(
                Array(#"{"instance_types": {"cloud": "aws"}}"#.utf8), providerID: "s", catalog: .standard, now: now)
        }
    }

    @Test("the request: GET /v1/instances/types with the X-API-KEY header")
    func request() async throws {
        let transport = RecordedTransport(body: try Fixture.bytes("instance-types", provider: "shadeform"))
        let snapshot = try await source.fetchOffers(transport: transport, now: now)
        #expect(snapshot.offers.count == 6)
        let request = try #require(transport.lastRequest)
        #expect(transport.requests.count == 1)
        #expect(request.method == .get)
        #expect(request.url == "http://127.0.0.1:9400/shadeform/v1/instances/types")
        #expect(request.headers["X-API-KEY"] == "sf-key-1")
        #expect(request.headers["Authorization"] == nil)
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.body == nil)
        #expect(request.timeout == .seconds(30))
        #expect(request.retry.maxAttempts <= 2)
    }
}
