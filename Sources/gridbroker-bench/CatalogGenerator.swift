import ArgumentParser
import BrokerCore
import Foundation
import MarketSim

/// `generate-catalog`: a seeded neutral catalog and queries (the formats of `shared/bench`), shaped
/// like `offers-10k.jsonl` and `queries-10k.jsonl` (same providers, regions, GPU models, GPU counts
/// and market split) but of any size. The same options always write the same files.
struct CatalogGenerator: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-catalog", abstract: "Write a seeded neutral offer catalog and queries (JSON lines).")

    @Option(help: "Offers to write.") var offers = 100_000
    @Option(help: "Queries to write.") var queries = 1000
    @Option(help: "The seed.") var seed: UInt64 = 1
    @Option(help: "Where to write the offers.") var offersOut: String
    @Option(help: "Where to write the queries.") var queriesOut: String

    /// A provider: its share of offers, how its instance types start, its (region, country) pairs.
    private struct Provider {
        var name: String
        var weight: Int
        var prefix: String
        var regions: [(region: String, country: String)]
    }

    /// A GPU model: its share of offers, memory, and a typical on-demand price per GPU-hour in
    /// micro-dollars.
    private struct Model {
        var name: String
        var weight: Int
        var memoryGB: Int
        var pricePerGPU: Int64
    }

    private static let providers = [
        Provider(
            name: "vastai", weight: 20, prefix: "vast.",
            regions: [
                ("as-in", "IN"), ("as-kr", "KR"), ("eu-de", "DE"), ("eu-pl", "PL"), ("na-us-east", "US"),
                ("na-us-west", "US"), ("sa-br", "BR"),
            ]),
        Provider(
            name: "runpod", weight: 12, prefix: "",
            regions: [("CA-MTL-1", "CA"), ("EU-RO-1", "RO"), ("EU-SE-1", "SE"), ("US-GA-1", "US"), ("US-TX-3", "US")]),
        Provider(
            name: "aws", weight: 10, prefix: "g.",
            regions: [
                ("ap-northeast-1", "JP"), ("ap-south-1", "IN"), ("eu-central-1", "DE"), ("eu-west-1", "IE"),
                ("sa-east-1", "BR"), ("us-east-1", "US"), ("us-west-2", "US"),
            ]),
        Provider(
            name: "vultr", weight: 10, prefix: "vcg-",
            regions: [("ewr", "US"), ("fra", "DE"), ("lax", "US"), ("nrt", "JP"), ("sgp", "SG")]),
        Provider(
            name: "gcp", weight: 9, prefix: "a-",
            regions: [
                ("asia-east1", "TW"), ("australia-southeast1", "AU"), ("europe-west4", "NL"), ("us-central1", "US"),
            ]
        ),
        Provider(
            name: "azure", weight: 9, prefix: "Standard_N",
            regions: [("eastus", "US"), ("koreacentral", "KR"), ("uksouth", "GB"), ("westeurope", "NL")]),
        Provider(
            name: "nebius", weight: 6, prefix: "gpu-",
            regions: [("eu-north1", "FI"), ("eu-west1", "FR"), ("us-central1", "US")]),
        Provider(
            name: "lambdalabs", weight: 5, prefix: "gpu_",
            regions: [("europe-central-1", "DE"), ("us-midwest-1", "US"), ("us-south-1", "US")]),
        Provider(
            name: "digitalocean", weight: 5, prefix: "gpu-", regions: [("ams3", "NL"), ("nyc2", "US"), ("tor1", "CA")]),
        Provider(
            name: "oci", weight: 5, prefix: "BM.GPU.",
            regions: [("ap-tokyo-1", "JP"), ("eu-frankfurt-1", "DE"), ("us-ashburn-1", "US")]),
        Provider(name: "verda", weight: 5, prefix: "", regions: [("FIN-01", "FI"), ("ICE-01", "IS")]),
        Provider(name: "cloudrift", weight: 4, prefix: "rift.", regions: [("eu-pl-1", "PL"), ("us-east-nc-1", "US")]),
    ]

    private static let models = [
        Model(name: "H100-SXM", weight: 188, memoryGB: 80, pricePerGPU: 2_900_000),
        Model(name: "A100-80GB", weight: 124, memoryGB: 80, pricePerGPU: 1_600_000),
        Model(name: "L40S", weight: 101, memoryGB: 48, pricePerGPU: 1_000_000),
        Model(name: "H200", weight: 79, memoryGB: 141, pricePerGPU: 3_800_000),
        Model(name: "A100-40GB", weight: 60, memoryGB: 40, pricePerGPU: 1_200_000),
        Model(name: "L4", weight: 49, memoryGB: 24, pricePerGPU: 500_000),
        Model(name: "MI300X", weight: 42, memoryGB: 192, pricePerGPU: 3_200_000),
        Model(name: "T4", weight: 40, memoryGB: 16, pricePerGPU: 300_000),
        Model(name: "RTX4090", weight: 39, memoryGB: 24, pricePerGPU: 450_000),
        Model(name: "V100", weight: 35, memoryGB: 16, pricePerGPU: 500_000),
        Model(name: "RTX6000Ada", weight: 34, memoryGB: 48, pricePerGPU: 850_000),
        Model(name: "B200", weight: 29, memoryGB: 180, pricePerGPU: 5_500_000),
        Model(name: "A10", weight: 26, memoryGB: 24, pricePerGPU: 600_000),
        Model(name: "H100-PCIe", weight: 26, memoryGB: 80, pricePerGPU: 2_300_000),
        Model(name: "RTXA6000", weight: 23, memoryGB: 48, pricePerGPU: 600_000),
        Model(name: "H100-NVL", weight: 21, memoryGB: 94, pricePerGPU: 2_600_000),
        Model(name: "RTX3090", weight: 21, memoryGB: 24, pricePerGPU: 250_000),
        Model(name: "A40", weight: 21, memoryGB: 48, pricePerGPU: 550_000),
        Model(name: "L40", weight: 12, memoryGB: 48, pricePerGPU: 850_000),
        Model(name: "RTXA5000", weight: 12, memoryGB: 24, pricePerGPU: 350_000),
        Model(name: "A10G", weight: 6, memoryGB: 24, pricePerGPU: 750_000),
        Model(name: "MI210", weight: 5, memoryGB: 64, pricePerGPU: 900_000),
        Model(name: "V100-32GB", weight: 4, memoryGB: 32, pricePerGPU: 700_000),
        Model(name: "MI250", weight: 4, memoryGB: 128, pricePerGPU: 1_500_000),
        Model(name: "GH200", weight: 1, memoryGB: 96, pricePerGPU: 2_000_000),
    ]

    /// GPU counts per offer and per query, with their shares.
    private static let offerCounts = [(1, 33), (2, 21), (4, 21), (8, 25)]
    private static let queryCounts = [(1, 39), (2, 21), (4, 18), (8, 22)]

    func run() throws {
        var random = SplitMix64(seed: seed)
        var lines: [String] = []
        var keys: Set<String> = []
        while lines.count < offers {
            let offer = Self.offerLine(&random)
            if keys.insert(offer.key).inserted { lines.append(offer.line) }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: offersOut, atomically: true, encoding: .utf8)
        let queryLines = (0..<queries).map { Self.queryLine(id: $0, &random) }
        try (queryLines.joined(separator: "\n") + "\n").write(toFile: queriesOut, atomically: true, encoding: .utf8)
        print(
            JSONLine([
                ("benchmark", .string("generate-catalog")), ("seed", .int(Int(seed))), ("offers", .int(lines.count)),
                ("queries", .int(queryLines.count)),
            ]).text)
    }

    /// One offer line, and the key (provider, instance type, region, market) no other line repeats.
    private static func offerLine(_ random: inout SplitMix64) -> (line: String, key: String) {
        let provider = pick(providers.map { ($0, $0.weight) }, &random)
        let model = pick(models.map { ($0, $0.weight) }, &random)
        let count = pick(offerCounts, &random)
        let place = provider.regions[random.int(in: 0...provider.regions.count - 1)]
        let vcpus = count * [8, 12, 16, 24, 28, 32][random.int(in: 0...5)]
        let memoryGB = vcpus * [2, 4, 8][random.int(in: 0...2)]
        let diskGB = count * [100, 200, 500][random.int(in: 0...2)]
        let slug = model.name.lowercased().filter { $0 != "-" }
        let instanceType = "\(provider.prefix)\(count)x-\(slug)-\(vcpus)c\(memoryGB)g-v\(random.int(in: 1...30))"
        let spot = random.chance(0.29)
        var price = model.pricePerGPU * Int64(count) * Int64(random.int(in: 700...1500)) / 1000
        if spot { price = price * Int64(random.int(in: 300...700)) / 1000 }
        let dollars = Money(microdollars: max(price / 100, 1) * 100).decimalString
        let line =
            #"{"provider":"\#(provider.name)","instance_type":"\#(instanceType)","gpu_name":"\#(model.name)","#
            + #""gpu_count":\#(count),"gpu_memory_gb":\#(model.memoryGB),"vcpus":\#(vcpus),"memory_gb":\#(memoryGB),"#
            + #""disk_gb":\#(diskGB),"region":"\#(place.region)","country":"\#(place.country)","#
            + #""price_per_hour_usd":\#(dollars),"spot":\#(spot)}"#
        return (line, "\(provider.name) \(instanceType) \(place.region) \(spot)")
    }

    /// One query: a GPU model and count in one market, often under a price, sometimes in one region
    /// or one country.
    private static func queryLine(id: Int, _ random: inout SplitMix64) -> String {
        let model = pick(models.map { ($0, $0.weight) }, &random)
        let count = pick(queryCounts, &random)
        let spot = random.chance(0.3)
        var maxPrice = "null"
        if random.chance(0.7) {
            let cents = model.pricePerGPU * Int64(count) * Int64(random.int(in: 400...1600)) / 1000 / 10_000
            maxPrice = Money(cents: max(cents, 1)).decimalString
        }
        var (region, country) = ("null", "null")
        let place = random.int(in: 0...99)
        if place < 50 {
            let provider = providers[random.int(in: 0...providers.count - 1)]
            let (name, code) = provider.regions[random.int(in: 0...provider.regions.count - 1)]
            if place < 24 { region = "\"\(name)\"" } else { country = "\"\(code)\"" }
        }
        return #"{"id": \#(id), "gpu_name": "\#(model.name)", "min_gpu_count": \#(count), "spot": \#(spot), "#
            + #""max_price": \#(maxPrice), "region": \#(region), "country": \#(country)}"#
    }

    /// An item chosen with probability proportional to its weight.
    private static func pick<T>(_ weighted: [(T, Int)], _ random: inout SplitMix64) -> T {
        var target = random.int(in: 0...weighted.map(\.1).reduce(0, +) - 1)
        for (item, weight) in weighted {
            if target < weight { return item }
            target -= weight
        }
        return weighted[weighted.count - 1].0
    }
}
