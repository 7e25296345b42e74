/// One Shadeform instance type: a cloud's machine shape, the regions it is sold in, its base price.
struct ShadeformInstanceType: Sendable {
    /// Index into ``ShadeformMarket/clouds``.
    var cloud: Int
    /// Index into ``ShadeformMarket/gpus``.
    var gpu: Int
    var numGPUs: Int
    var shadeInstanceType: String
    var cloudInstanceType: String
    var vcpus: Int
    var memoryGB: Int
    var storageGB: Int
    var hourlyPriceCents: Int
    /// Indices into the cloud's regions.
    var regions: [Int]
    var key: UInt64
}

/// Shadeform, an aggregator: many clouds' instance types, each in some of that cloud's regions.
struct ShadeformMarket: Sendable {
    static let driftAmplitude = 0.08
    static let outage = 0.25
    static let slotSeconds = 3_600.0

    /// Shadeform's `gpu_type` spelling, its memory, interconnect options and price per GPU-hour.
    static let gpus: [(type: String, memoryGB: Int, sxm: String?, price: ClosedRange<Double>)] = [
        ("H100", 80, "sxm5", 1.90...3.20), ("H200", 141, "sxm5", 2.90...4.10), ("B200", 180, "sxm6", 4.50...6.20),
        ("A100_80G", 80, "sxm4", 1.10...1.90), ("A100", 40, "sxm4", 0.90...1.40), ("L40S", 48, nil, 0.80...1.30),
        ("L40", 48, nil, 0.70...1.10), ("A6000", 48, nil, 0.45...0.80), ("A5000", 24, nil, 0.25...0.45),
        ("A40", 48, nil, 0.40...0.70), ("RTX4090", 24, nil, 0.35...0.75), ("A10", 24, nil, 0.55...0.90),
        ("L4", 24, nil, 0.40...0.80), ("V100", 16, "sxm2", 0.35...0.60), ("GH200", 96, nil, 1.40...2.20),
        ("MI300X", 192, nil, 2.20...3.50),
    ]

    /// Cloud identifiers as Shadeform spells them, with their regions (id, display name).
    static let clouds: [(name: String, regions: [(String, String)])] = [
        (
            "lambdalabs",
            [
                ("us-east-1", "US, Virginia"), ("us-west-1", "US, California"), ("us-south-1", "US, Texas"),
                ("europe-central-1", "DE, Frankfurt"),
            ]
        ),
        ("datacrunch", [("FIN-01", "FI, Helsinki"), ("FIN-02", "FI, Helsinki"), ("ICE-01", "IS, Keflavik")]),
        ("hyperstack", [("canada-1", "CA, Montreal"), ("norway-1", "NO, Oslo"), ("us-1", "US, Seattle")]),
        ("massedcompute", [("us-central-1", "US, Kansas City"), ("us-east-1", "US, Des Moines")]),
        ("paperspace", [("ny2", "US, New York"), ("ca1", "US, Santa Clara"), ("ams1", "NL, Amsterdam")]),
        (
            "vultr",
            [
                ("ewr", "US, New Jersey"), ("lax", "US, Los Angeles"), ("ams", "NL, Amsterdam"),
                ("fra", "DE, Frankfurt"), ("nrt", "JP, Tokyo"), ("sgp", "SG, Singapore"),
            ]
        ),
        (
            "crusoe",
            [("us-east1-a", "US, Virginia"), ("us-northcentral1-a", "US, Iowa"), ("eu-iceland1-a", "IS, Reykjavik")]
        ),
        ("fluidstack", [("norway_4_eu", "NO, Oslo"), ("canada_1_na", "CA, Toronto"), ("usa_8_na", "US, Texas")]),
        ("latitude", [("ASH", "US, Ashburn"), ("DAL", "US, Dallas"), ("FRA", "DE, Frankfurt"), ("SYD", "AU, Sydney")]),
        ("digitalocean", [("nyc2", "US, New York"), ("tor1", "CA, Toronto"), ("ams3", "NL, Amsterdam")]),
        ("scaleway", [("fr-par-2", "FR, Paris"), ("nl-ams-1", "NL, Amsterdam")]),
        ("denvr", [("houston-1", "US, Houston"), ("vancouver-1", "CA, Vancouver")]),
        ("imwt", [("us-central-1", "US, Kansas City"), ("eu-west-1", "UK, London")]),
        ("tensordock", [("us-ny", "US, New York"), ("de-fra", "DE, Frankfurt"), ("ca-qc", "CA, Quebec")]),
    ]

    static let osOptions = ["ubuntu22.04_cuda12.2_shade_os", "ubuntu20.04_cuda12.0_shade_os"]

    let types: [ShadeformInstanceType]
    let drift: PriceDrift

    /// Number of (type, region) pairs: the offers this provider lists at most.
    var pairCount: Int { types.reduce(0) { $0 + $1.regions.count } }

    func priceCents(_ type: ShadeformInstanceType, at time: Double) -> Int {
        let factor = drift.factor(key: type.key, at: time, amplitude: Self.driftAmplitude)
        return Int((Double(type.hourlyPriceCents) * factor).rounded())
    }

    func isAvailable(_ type: ShadeformInstanceType, region: Int, at time: Double, inUse: [String: Int] = [:]) -> Bool {
        capacity(type, region: region, at: time) > inUse[Self.pool(type, region: region), default: 0]
    }

    /// How many instances of `type` `region` has at `time`: a few while the slot is available,
    /// none otherwise.
    func capacity(_ type: ShadeformInstanceType, region: Int, at time: Double) -> Int {
        let key = SplitMix64.hash(type.key, UInt64(region))
        guard type.regions.contains(region),
            drift.isAvailable(key: key, at: time, slotSeconds: Self.slotSeconds, outage: Self.outage)
        else { return 0 }
        return 1 + Int(SplitMix64.hash(drift.seed, key, 0x4341_5041) % 3)
    }

    /// The capacity pool of `type` in `region`, named by the offer's native id.
    static func pool(_ type: ShadeformInstanceType, region: Int) -> String {
        "shadeform:" + offerID(type, region: region)
    }

    /// The native offer id the broker's pricing adapter makes: `<cloud>:<shade type>:<region>`.
    static func offerID(_ type: ShadeformInstanceType, region: Int) -> String {
        let cloud = clouds[type.cloud]
        return cloud.name + ":" + type.shadeInstanceType + ":" + cloud.regions[region].0
    }

    /// Distinct (cloud, GPU, count) shapes until about `targetPairs` (type, region) pairs exist or
    /// every shape is used.
    static func generate(seed: UInt64, targetPairs: Int) -> ShadeformMarket {
        var random = SplitMix64(seed: SplitMix64.hash(seed, 0x5348_4144_45))
        var shapes: [(cloud: Int, gpu: Int, count: Int)] = []
        for cloud in clouds.indices {
            for gpu in gpus.indices {
                for count in [1, 2, 4, 8] { shapes.append((cloud, gpu, count)) }
            }
        }
        // A seeded shuffle (Fisher–Yates), then take shapes in that order.
        for index in stride(from: shapes.count - 1, to: 0, by: -1) {
            shapes.swapAt(index, random.int(in: 0...index))
        }
        var types: [ShadeformInstanceType] = []
        var pairs = 0
        for shape in shapes where pairs < targetPairs {
            let type = makeType(shape, seed: seed, remaining: targetPairs - pairs, random: &random)
            pairs += type.regions.count
            types.append(type)
        }
        types.sort { ($0.cloud, $0.gpu, $0.numGPUs) < ($1.cloud, $1.gpu, $1.numGPUs) }
        return ShadeformMarket(types: types, drift: PriceDrift(seed: seed))
    }

    private static func makeType(
        _ shape: (cloud: Int, gpu: Int, count: Int), seed: UInt64, remaining: Int, random: inout SplitMix64
    ) -> ShadeformInstanceType {
        let gpu = gpus[shape.gpu]
        let cloud = clouds[shape.cloud]
        let count = shape.count
        let regionCount = min(remaining, random.int(in: 1...cloud.regions.count))
        var regions: [Int] = []
        while regions.count < regionCount {
            let region = random.int(in: 0...(cloud.regions.count - 1))
            if !regions.contains(region) { regions.append(region) }
        }
        let suffix = gpu.sxm.map { "_\($0)" } ?? ""
        let shade = count == 1 && gpu.sxm == nil ? gpu.type : "\(gpu.type)\(suffix)x\(count)"
        let lower = gpu.type.lowercased()
        let cloudType: String
        switch cloud.name {
        case "lambdalabs": cloudType = "gpu_\(count)x_\(lower)\(suffix)"
        case "datacrunch": cloudType = "\(count)\(gpu.type).\(gpu.memoryGB)S.\(count * 22)V"
        case "hyperstack": cloudType = "n3-\(gpu.type)x\(count)"
        case "vultr": cloudType = "vcg-\(lower)-\(count * 12)c-\(count * 120)g-\(gpu.memoryGB)vram"
        default: cloudType = "\(lower)\(suffix)-\(count)x"
        }
        let perGPU = random.uniform(gpu.price)
        return ShadeformInstanceType(
            cloud: shape.cloud,
            gpu: shape.gpu,
            numGPUs: count,
            shadeInstanceType: shade,
            cloudInstanceType: cloudType,
            vcpus: count * [8, 12, 16, 24, 26, 30][random.int(in: 0...5)],
            memoryGB: count * [32, 64, 90, 120, 180, 225][random.int(in: 0...5)],
            storageGB: count * [256, 512, 750, 1_000, 2_000][random.int(in: 0...4)],
            hourlyPriceCents: Int((perGPU * Double(count) * 100).rounded()),
            regions: regions.sorted(),
            key: SplitMix64.hash(seed, SplitMix64.key(cloud.name + "/" + shade))
        )
    }
}
