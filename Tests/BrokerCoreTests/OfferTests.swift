import BrokerCore
import Foundation
import Testing

@Suite("Offers")
struct OfferTests {
    static func offer(price: Money, gpus: Int) -> Offer {
        let seen = Date(timeIntervalSince1970: 1_795_000_000)
        return Offer(
            id: OfferID(provider: "vast", native: "7835610"), gpu: GPUName(resolving: "H100 SXM"), gpuCount: gpus,
            gpuMemoryGB: 80, interconnect: "nvlink", vcpus: 96, memoryGB: 1024, diskGB: 2000, region: "us-east-1",
            country: "US", market: .spot, pricePerHour: price, available: 2, reliability: 0.99, firstSeenAt: seen,
            lastSeenAt: seen, raw: nil)
    }

    @Test(
        "price per GPU-hour divides the whole-offer price, truncating to the micro-dollar",
        arguments: [
            (14_320_000, 8, 1_790_000),
            (10_000_000, 3, 3_333_333),
            (5, 8, 0),
            (2_000_000, 0, 2_000_000),  // a malformed offer with no GPUs counts as one
        ] as [(Int64, Int, Int64)]
    )
    func pricePerGPUHour(price: Int64, gpus: Int, expected: Int64) {
        #expect(
            Self.offer(price: Money(microdollars: price), gpus: gpus).pricePerGPUHour == Money(microdollars: expected))
    }

    @Test("the provider id comes from the offer id")
    func providerID() {
        #expect(Self.offer(price: .zero, gpus: 1).providerID == "vast")
    }

    @Test(
        "offer ids parse from provider:native, splitting at the first colon",
        arguments: [
            ("vast:7835610", OfferID(provider: "vast", native: "7835610")),
            ("aws:us-east-1a:p5.48xlarge", OfferID(provider: "aws", native: "us-east-1a:p5.48xlarge")),
        ]
    )
    func offerIDParsing(text: String, expected: OfferID) {
        #expect(OfferID(text) == expected)
        #expect(expected.description == text)
    }

    @Test("malformed offer ids are refused", arguments: ["", "vast", ":123", "vast:", ":"])
    func offerIDRefused(text: String) {
        #expect(OfferID(text) == nil)
    }

    @Test("offer ids encode as their string form")
    func offerIDCodable() throws {
        let data = try JSONEncoder().encode([OfferID(provider: "lambda", native: "gpu_8x_h100_sxm5:us-east-1")])
        #expect(String(decoding: data, as: UTF8.self) == #"["lambda:gpu_8x_h100_sxm5:us-east-1"]"#)
        #expect(try JSONDecoder().decode([OfferID].self, from: data).first?.native == "gpu_8x_h100_sxm5:us-east-1")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([OfferID].self, from: Data(#"["nocolon"]"#.utf8))
        }
    }

    @Test("GPU names keep the provider's spelling when the catalog does not know it")
    func gpuName() {
        #expect(GPUName(resolving: "NVIDIA GeForce RTX 4090").name == "RTX4090")
        #expect(GPUName(resolving: "NVIDIA GeForce RTX 4090").model?.memoryGB == 24)
        #expect(GPUName(resolving: "A100 SXM4", memoryGB: 40).name == "A100-40GB")
        #expect(GPUName(resolving: "Gaudi2") == .unknown("Gaudi2"))
        #expect(GPUName(resolving: "Gaudi2").model == nil)
    }

    @Test("markets use the API's raw values")
    func market() {
        #expect(Market.onDemand.rawValue == "on_demand")
        #expect(Market(rawValue: "spot") == .spot)
        #expect(Market(rawValue: "on-demand") == nil)
    }
}
