import BrokerCore

/// One Lambda Cloud instance type, with the regions that ever have it.
struct LambdaInstanceType: Sendable {
    var name: String
    var description: String
    var gpuDescription: String
    var priceCentsPerHour: Int
    var vcpus: Int
    var memoryGiB: Int
    var storageGiB: Int
    var gpus: Int
    /// Indices into ``LambdaMarket/regions``.
    var regions: [Int]
}

/// Lambda Cloud's instance types and regions, and which have capacity at a given time.
struct LambdaMarket: Sendable {
    static let driftAmplitude = 0.03
    /// Share of (type, region) pairs without capacity in any slot: Lambda is often sold out.
    static let outage = 0.35
    static let slotSeconds = 1_800.0

    static let regions: [(name: String, description: String)] = [
        ("us-east-1", "Virginia, USA"), ("us-east-2", "Washington DC, USA"), ("us-east-3", "Atlanta, USA"),
        ("us-west-1", "California, USA"), ("us-west-2", "Arizona, USA"), ("us-west-3", "Utah, USA"),
        ("us-south-1", "Texas, USA"), ("us-south-2", "North Texas, USA"), ("us-south-3", "Central Texas, USA"),
        ("us-midwest-1", "Illinois, USA"), ("europe-central-1", "Germany"), ("asia-south-1", "India"),
        ("asia-northeast-1", "Tokyo, Japan"), ("asia-northeast-2", "Osaka, Japan"), ("me-west-1", "Israel"),
    ]

    /// name, gpu description, count, cents/h, vCPUs, memory GiB, storage GiB.
    static let catalog: [(String, String, Int, Int, Int, Int, Int)] = [
        ("gpu_1x_a10", "A10 (24 GB PCIe)", 1, 75, 30, 200, 1_400),
        ("gpu_1x_rtx6000", "RTX 6000 (24 GB)", 1, 50, 14, 46, 512),
        ("gpu_1x_a6000", "A6000 (48 GB)", 1, 80, 14, 100, 512),
        ("gpu_2x_a6000", "A6000 (48 GB)", 2, 160, 28, 200, 1_024),
        ("gpu_4x_a6000", "A6000 (48 GB)", 4, 320, 56, 400, 2_048),
        ("gpu_1x_a100", "A100 (40 GB PCIe)", 1, 129, 30, 200, 512),
        ("gpu_1x_a100_sxm4", "A100 (40 GB SXM4)", 1, 129, 30, 200, 512),
        ("gpu_2x_a100", "A100 (40 GB PCIe)", 2, 258, 60, 400, 1_024),
        ("gpu_4x_a100", "A100 (40 GB PCIe)", 4, 516, 120, 800, 2_048),
        ("gpu_8x_a100", "A100 (40 GB SXM4)", 8, 1_032, 124, 1_800, 6_144),
        ("gpu_8x_a100_80gb_sxm4", "A100 (80 GB SXM4)", 8, 1_432, 240, 1_800, 20_480),
        ("gpu_8x_v100", "Tesla V100 (16 GB)", 8, 440, 88, 448, 6_041),
        ("gpu_1x_gh200", "GH200 (96 GB)", 1, 149, 64, 432, 4_096),
        ("gpu_1x_h100_pcie", "H100 (80 GB PCIe)", 1, 249, 26, 200, 1_024),
        ("gpu_1x_h100_sxm5", "H100 (80 GB SXM5)", 1, 329, 26, 225, 2_816),
        ("gpu_2x_h100_sxm5", "H100 (80 GB SXM5)", 2, 638, 52, 450, 5_632),
        ("gpu_4x_h100_sxm5", "H100 (80 GB SXM5)", 4, 1_236, 104, 900, 11_264),
        ("gpu_8x_h100_sxm5", "H100 (80 GB SXM5)", 8, 2_392, 208, 1_800, 24_780),
        ("gpu_8x_b200_sxm6", "B200 (180 GB SXM6)", 8, 3_992, 208, 2_900, 22_528),
    ]

    let types: [LambdaInstanceType]
    let drift: PriceDrift

    /// The GPU model of a type, from its `gpu_description` ("H100 (80 GB PCIe)"): the base name
    /// with its memory and form factor when the catalog knows that spelling, else with the form
    /// factor, else alone; the memory picks between models of one name.
    static func gpu(_ type: LambdaInstanceType) -> GPUModel? {
        let text = type.gpuDescription
        guard let open = text.firstIndex(of: "(") else { return GPUCatalog.standard.model(named: text) }
        let base = text[..<open].split(separator: " ").joined(separator: " ")
        let inside = text[text.index(after: open)...].prefix { $0 != ")" }.split(separator: " ")
        let memory = inside.first.flatMap { Int($0) }
        let form = inside.dropFirst(memory == nil ? 0 : 2).joined(separator: " ")
        let spellings = [memory.map { "\(base) \($0)GB \(form)" }, "\(base) \(form)", base].compactMap { $0 }
        for spelling in spellings {
            if let model = GPUCatalog.standard.model(named: spelling, memoryGB: memory) { return model }
        }
        return nil
    }

    /// Number of (type, region) pairs: the offers this provider lists at most.
    var pairCount: Int { types.reduce(0) { $0 + $1.regions.count } }

    func priceCents(_ type: LambdaInstanceType, at time: Double) -> Int {
        let factor = drift.factor(key: SplitMix64.key(type.name), at: time, amplitude: Self.driftAmplitude)
        return Int((Double(type.priceCentsPerHour) * factor).rounded())
    }

    /// The regions (indices) with capacity for `type` at `time`, once the units `inUse` (by pool,
    /// see ``pool(_:region:)``) are taken.
    func regionsWithCapacity(_ type: LambdaInstanceType, at time: Double, inUse: [String: Int] = [:]) -> [Int] {
        type.regions.filter { region in
            capacity(type, region: region, at: time) > inUse[Self.pool(type, region: region), default: 0]
        }
    }

    /// How many instances of `type` `region` has at `time`: a few while the slot has capacity,
    /// none when sold out or when the type is not sold there.
    func capacity(_ type: LambdaInstanceType, region: Int, at time: Double) -> Int {
        guard type.regions.contains(region) else { return 0 }
        let key = SplitMix64.hash(SplitMix64.key(type.name), UInt64(region))
        guard drift.isAvailable(key: key, at: time, slotSeconds: Self.slotSeconds, outage: Self.outage) else {
            return 0
        }
        return 1 + Int(SplitMix64.hash(drift.seed, key, 0x4341_5041) % 3)
    }

    /// The capacity pool of `type` in `region`.
    static func pool(_ type: LambdaInstanceType, region: Int) -> String {
        "lambda:" + type.name + ":" + regions[region].name
    }

    /// Every type, each in a seeded subset of regions, trimmed so that at most `maximumPairs`
    /// (type, region) pairs exist (at least one region per type).
    static func generate(seed: UInt64, maximumPairs: Int) -> LambdaMarket {
        var random = SplitMix64(seed: SplitMix64.hash(seed, 0x4C41_4D42_4441))
        var types = catalog.map { entry in
            let (name, gpuDescription, gpus, cents, vcpus, memory, storage) = entry
            let regionCount = random.int(in: 2...7)
            var chosen: [Int] = []
            while chosen.count < regionCount {
                let region = random.int(in: 0...(regions.count - 1))
                if !chosen.contains(region) { chosen.append(region) }
            }
            return LambdaInstanceType(
                name: name, description: "\(gpus)x \(gpuDescription)", gpuDescription: gpuDescription,
                priceCentsPerHour: cents, vcpus: vcpus, memoryGiB: memory, storageGiB: storage, gpus: gpus,
                regions: chosen.sorted())
        }
        var pairs = types.reduce(0) { $0 + $1.regions.count }
        var index = 0
        while pairs > max(maximumPairs, types.count) {
            if types[index].regions.count > 1 {
                types[index].regions.removeLast()
                pairs -= 1
            }
            index = (index + 1) % types.count
        }
        return LambdaMarket(types: types, drift: PriceDrift(seed: seed))
    }
}
