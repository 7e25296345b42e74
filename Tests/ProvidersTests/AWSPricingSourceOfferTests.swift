import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import Providers

@Suite("AWSPricingSource offers")
struct AWSPricingSourceOfferTests {
    private func poll(
        _ response: HTTPResponse, onDemandPrices: [String: Money] = [:]
    ) async throws -> PricingSnapshot {
        try await AWSTestSupport.source(onDemandPrices: onDemandPrices)
            .fetchOffers(transport: RecordedTransport(response), now: AWSTestSupport.now)
    }

    @Test("a recorded answer becomes one spot offer per (type, zone) at the newest price")
    func recordedAnswer() async throws {
        let snapshot = try await poll(try AWSTestSupport.fixture("spot-price-history"))

        struct Expected: Equatable {
            var id: String
            var gpu: String
            var gpuCount: Int
            var gpuMemoryGB: Int
            var microdollars: Int64
            var region: String
        }
        let got = snapshot.offers.map {
            Expected(
                id: $0.id.description, gpu: $0.gpu.name, gpuCount: $0.gpuCount, gpuMemoryGB: $0.gpuMemoryGB,
                microdollars: $0.pricePerHour.microdollars, region: $0.region)
        }
        #expect(
            got == [
                Expected(
                    id: "aws:p5.48xlarge:us-east-1a:spot", gpu: "H100-SXM", gpuCount: 8, gpuMemoryGB: 80,
                    microdollars: 12_290_000, region: "us-east-1a"),
                Expected(
                    id: "aws:p5.48xlarge:us-east-1b:spot", gpu: "H100-SXM", gpuCount: 8, gpuMemoryGB: 80,
                    microdollars: 13_104_500, region: "us-east-1b"),
                Expected(
                    id: "aws:p4d.24xlarge:us-east-1c:spot", gpu: "A100-40GB", gpuCount: 8, gpuMemoryGB: 40,
                    microdollars: 9_834_200, region: "us-east-1c"),
                Expected(
                    id: "aws:g5.xlarge:us-east-1a:spot", gpu: "A10G", gpuCount: 1, gpuMemoryGB: 24,
                    microdollars: 402_300, region: "us-east-1a"),
                Expected(
                    id: "aws:g5.xlarge:us-east-1d:spot", gpu: "A10G", gpuCount: 1, gpuMemoryGB: 24,
                    microdollars: 387_900, region: "us-east-1d"),
                Expected(
                    id: "aws:g4dn.xlarge:us-east-1f:spot", gpu: "T4", gpuCount: 1, gpuMemoryGB: 16,
                    microdollars: 158_700, region: "us-east-1f"),
                Expected(
                    id: "aws:g6e.12xlarge:us-east-1b:spot", gpu: "L40S", gpuCount: 4, gpuMemoryGB: 48,
                    microdollars: 3_221_000, region: "us-east-1b"),
                Expected(
                    id: "aws:p3.2xlarge:us-east-1d:spot", gpu: "V100", gpuCount: 1, gpuMemoryGB: 16,
                    microdollars: 918_000, region: "us-east-1d"),
            ])
        #expect(snapshot.offers.allSatisfy { $0.market == .spot && $0.country == "US" && $0.available == 1 })
        #expect(snapshot.offers.allSatisfy { $0.gpu.model != nil })
        #expect(snapshot.unknownGPUNames.isEmpty)

        let p5 = try #require(snapshot.offers.first)
        let catalogH100 = try #require(GPUCatalog.standard.model(named: "H100-SXM"))
        #expect(
            p5
                == Offer(
                    id: OfferID(provider: "aws", native: "p5.48xlarge:us-east-1a:spot"), gpu: .known(catalogH100),
                    gpuCount: 8, gpuMemoryGB: 80, interconnect: "nvlink", vcpus: 192, memoryGB: 2048, diskGB: 30_720,
                    region: "us-east-1a", country: "US", market: .spot, pricePerHour: Money(microdollars: 12_290_000),
                    available: 1, reliability: nil, firstSeenAt: AWSTestSupport.now, lastSeenAt: AWSTestSupport.now,
                    raw: #"{"instanceType":"p5.48xlarge","productDescription":"Linux/UNIX","spotPrice":"12.290000","#
                        + #""timestamp":"2026-11-21T15:02:11.000Z","availabilityZone":"us-east-1a"}"#))
    }

    @Test("an instance type the table does not know is skipped, with the reason")
    func unknownTypeSkipped() async throws {
        let snapshot = try await poll(try AWSTestSupport.fixture("spot-price-history"))
        try #require(snapshot.skipped.count == 1)
        #expect(snapshot.skipped[0].nativeID == "p6-b200.48xlarge:us-east-1a:spot")
        #expect(snapshot.skipped[0].reason.contains("p6-b200.48xlarge"))
        #expect(!snapshot.offers.contains { $0.id.native.hasPrefix("p6-b200") })
    }

    @Test("on-demand offers for configured types sold in the region; unknown configured types skipped")
    func onDemand() async throws {
        let snapshot = try await poll(
            try AWSTestSupport.fixture("spot-price-history"),
            onDemandPrices: [
                "p5.48xlarge": try Money(parsing: "98.32"),
                "g5.xlarge": try Money(parsing: "1.006"),
                "p4de.24xlarge": try Money(parsing: "40.96641"),  // not in this region's history
                "m5.large": try Money(parsing: "0.096"),  // not a GPU type
            ])
        let onDemand = snapshot.offers.filter { $0.market == .onDemand }
        #expect(
            onDemand.map(\.id.description) == [
                "aws:p5.48xlarge:us-east-1:on_demand", "aws:g5.xlarge:us-east-1:on_demand",
            ])
        #expect(onDemand.map(\.pricePerHour.microdollars) == [98_320_000, 1_006_000])
        #expect(onDemand.allSatisfy { $0.region == "us-east-1" && $0.country == "US" && $0.available == 1 })
        #expect(onDemand.map(\.gpu.name) == ["H100-SXM", "A10G"])
        #expect(onDemand.map(\.gpuCount) == [8, 1])
        #expect(
            onDemand.first?.raw == #"{"instanceType":"p5.48xlarge","region":"us-east-1","onDemandPrice":"98.320000"}"#)
        #expect(snapshot.offers.filter { $0.market == .spot }.count == 8)
        #expect(snapshot.skipped.map(\.nativeID) == ["p6-b200.48xlarge:us-east-1a:spot", "m5.large:on_demand"])
    }

    @Test("an empty spotPriceHistorySet gives no offers and no skips")
    func emptySet() async throws {
        let snapshot = try await poll(
            try AWSTestSupport.fixture("spot-price-history-empty"), onDemandPrices: ["p5.48xlarge": Money(cents: 9832)])
        #expect(snapshot.offers.isEmpty)
        #expect(snapshot.skipped.isEmpty)
    }

    @Test("prices and timestamps that do not parse are skipped; the rest is kept")
    func badItems() async throws {
        let snapshot = try await poll(
            AWSTestSupport.answer([
                ("g5.xlarge", "us-east-1a", "n/a", "2026-11-21T15:00:00.000Z"),
                ("g5.xlarge", "us-east-1b", "-0.50", "2026-11-21T15:00:00.000Z"),
                ("g5.xlarge", "us-east-1c", "1e-1", "2026-11-21T15:00:00.000Z"),
                ("g5.xlarge", "us-east-1d", "0.4", "yesterday"),
                ("g5.xlarge", "us-east-1e", "0.3999999", "2026-11-21T15:00:00Z"),
            ]))
        #expect(snapshot.offers.map(\.id.native) == ["g5.xlarge:us-east-1e:spot"])
        #expect(snapshot.offers.first?.pricePerHour.microdollars == 400_000)
        #expect(
            snapshot.skipped.map(\.nativeID) == [
                "g5.xlarge:us-east-1a:spot", "g5.xlarge:us-east-1b:spot", "g5.xlarge:us-east-1c:spot",
                "g5.xlarge:us-east-1d:spot",
            ])
        #expect(snapshot.skipped[0].reason.contains("'n/a'"))
        #expect(snapshot.skipped[3].reason.contains("'yesterday'"))
    }

    @Test("the newest timestamp wins whatever the order, even to the millisecond")
    func newestWins() async throws {
        let snapshot = try await poll(
            AWSTestSupport.answer([
                ("g6.xlarge", "us-east-1a", "0.30", "2026-11-21T15:00:00.500Z"),
                ("g6.xlarge", "us-east-1a", "0.31", "2026-11-21T15:00:00.499Z"),
                ("g6.xlarge", "us-east-1b", "0.32", "2026-11-20T23:59:59.000Z"),
                ("g6.xlarge", "us-east-1b", "0.33", "2026-11-21T00:00:00.000Z"),
            ]))
        #expect(snapshot.offers.map(\.pricePerHour.microdollars) == [300_000, 330_000])
    }

    @Test("a few thousand items are read into offers")
    func manyItems() async throws {
        let types = AWSInstanceType.gpuTypes.map(\.name)
        var items: [(String, String, String, String)] = []
        for index in 0..<5000 {
            let type = types[index % types.count]
            let zone = "us-east-1\(["a", "b", "c", "d", "e", "f"][index / types.count % 6])"
            let minute = index / (types.count * 6)
            items.append(
                (
                    type, zone, "1.\(index)",
                    "2026-11-21T\(10 + minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60):00.000Z"
                ))
        }
        let snapshot = try await poll(AWSTestSupport.answer(items))
        #expect(snapshot.offers.count == types.count * 6)
        #expect(snapshot.skipped.isEmpty)
        // The last item of each (type, zone) is the newest.
        let last = try #require(
            snapshot.offers.first {
                $0.id.native
                    == "\(types[4999 % types.count]):us-east-1\(["a", "b", "c", "d", "e", "f"][4999 / types.count % 6]):spot"
            })
        #expect(last.pricePerHour == (try Money(parsing: "1.4999")))
    }

    @Test("regions map to ISO countries")
    func countries() {
        let expected = [
            "us-east-1": "US", "us-west-2": "US", "ca-central-1": "CA", "eu-central-1": "DE", "eu-west-1": "IE",
            "eu-west-2": "GB", "eu-west-3": "FR", "eu-north-1": "SE", "eu-south-1": "IT", "ap-northeast-1": "JP",
            "ap-southeast-1": "SG", "ap-southeast-2": "AU", "ap-south-1": "IN", "sa-east-1": "BR",
        ]
        for (region, country) in expected { #expect(AWSRegions.country(of: region) == country, "\(region)") }
        #expect(AWSRegions.country(of: "us-future-9") == "US")
        #expect(AWSRegions.country(of: "xx-nowhere-1") == nil)
    }

    @Test("every instance type of the table resolves to the catalog model it names")
    func tableMatchesCatalog() throws {
        let required = [
            "p5.48xlarge", "p5e.48xlarge", "p4d.24xlarge", "p4de.24xlarge", "p3.2xlarge", "p3.8xlarge", "p3.16xlarge",
            "p3dn.24xlarge", "g6e.xlarge", "g6e.48xlarge", "g6.xlarge", "g6.48xlarge", "g5.xlarge", "g5.48xlarge",
            "g4dn.xlarge", "g4dn.metal", "p2.xlarge", "p2.8xlarge", "p2.16xlarge",
        ]
        for name in required { #expect(AWSInstanceType.gpuTypesByName[name] != nil, "\(name)") }
        for type in AWSInstanceType.gpuTypes {
            let model = try #require(
                GPUName(resolving: type.gpuModel, memoryGB: type.gpuMemoryGB).model, "\(type.name)")
            #expect(model.name == type.gpuModel, "\(type.name)")
            #expect(model.memoryGB == type.gpuMemoryGB, "\(type.name)")
            #expect(type.gpuCount > 0 && type.vcpus > 0 && type.memoryGiB > 0, "\(type.name)")
            #expect((type.gpuCount == 1) == (type.interconnect == nil), "\(type.name)")
        }
        #expect(AWSInstanceType.gpuTypesByName["p5e.48xlarge"]?.gpuModel == "H200")
        #expect(AWSInstanceType.gpuTypesByName["p4de.24xlarge"]?.gpuModel == "A100-80GB")
        #expect(AWSInstanceType.gpuTypesByName["p3dn.24xlarge"]?.gpuModel == "V100-32GB")
    }
}
