/// One RunPod GPU type with its base prices per GPU-hour (nil: not sold that way).
struct RunPodGPUType: Sendable {
    var id: String
    var displayName: String
    var memoryInGb: Int
    var maxGpuCount: Int
    var securePrice: Double?
    var communityPrice: Double?
    var secureSpotPrice: Double?
    var communitySpotPrice: Double?
    /// The type's key for price drift and stock.
    var key: UInt64 { SplitMix64.key(id) }
}

/// RunPod's GPU types (their real ids and display names) and how they look at a given time.
struct RunPodMarket: Sendable {
    static let driftAmplitude = 0.10
    static let slotSeconds = 3_600.0

    static let catalog: [RunPodGPUType] = [
        t("NVIDIA B200", "B200", 180, 8, 5.99, nil, 3.59, nil),
        t("NVIDIA H200", "H200 SXM", 141, 8, 3.99, 3.59, 2.29, 2.09),
        t("NVIDIA H100 80GB HBM3", "H100 SXM", 80, 8, 2.99, 2.69, 1.75, 1.55),
        t("NVIDIA H100 PCIe", "H100 PCIe", 80, 8, 2.39, 1.99, 1.39, 1.19),
        t("NVIDIA H100 NVL", "H100 NVL", 94, 8, 2.79, 2.59, 1.59, 1.49),
        t("NVIDIA A100-SXM4-80GB", "A100 SXM", 80, 8, 1.89, 1.49, 1.09, 0.89),
        t("NVIDIA A100 80GB PCIe", "A100 PCIe", 80, 8, 1.64, 1.19, 0.99, 0.69),
        t("NVIDIA L40S", "L40S", 48, 8, 0.86, 0.79, 0.49, 0.45),
        t("NVIDIA L40", "L40", 48, 8, 0.99, 0.69, 0.59, 0.39),
        t("NVIDIA L4", "L4", 24, 8, 0.43, nil, 0.24, nil),
        t("NVIDIA A40", "A40", 48, 10, 0.40, 0.35, 0.24, 0.20),
        t("NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada", 48, 8, 0.77, 0.74, 0.46, 0.39),
        t("NVIDIA RTX A6000", "RTX A6000", 48, 8, 0.49, 0.33, 0.29, 0.19),
        t("NVIDIA RTX A5000", "RTX A5000", 24, 8, 0.27, 0.16, 0.16, 0.10),
        t("NVIDIA RTX A4000", "RTX A4000", 16, 8, 0.32, 0.17, nil, 0.10),
        t("NVIDIA GeForce RTX 5090", "RTX 5090", 32, 8, 0.94, 0.69, nil, 0.45),
        t("NVIDIA GeForce RTX 4090", "RTX 4090", 24, 8, 0.69, 0.34, 0.39, 0.20),
        t("NVIDIA GeForce RTX 3090", "RTX 3090", 24, 8, 0.43, 0.22, 0.24, 0.13),
        t("Tesla V100-SXM2-32GB", "V100 SXM2 32GB", 32, 8, nil, 0.39, nil, 0.19),
        t("AMD Instinct MI300X OAM", "MI300X", 192, 8, 2.49, nil, nil, nil),
    ]

    private static func t(
        _ id: String, _ displayName: String, _ memory: Int, _ maxCount: Int, _ secure: Double?,
        _ community: Double?, _ secureSpot: Double?, _ communitySpot: Double?
    ) -> RunPodGPUType {
        RunPodGPUType(
            id: id, displayName: displayName, memoryInGb: memory, maxGpuCount: maxCount, securePrice: secure,
            communityPrice: community, secureSpotPrice: secureSpot, communitySpotPrice: communitySpot)
    }

    let types: [RunPodGPUType]
    let drift: PriceDrift

    /// One GPU type's prices and stock at a time.
    struct Quote {
        var securePrice: Double?
        var communityPrice: Double?
        var secureSpotPrice: Double?
        var communitySpotPrice: Double?
        /// "High", "Medium", "Low", or nil when sold out.
        var stockStatus: String?
        /// Largest number of GPUs of this type one pod can get right now.
        var maxGpuCountAvailable: Int
    }

    /// The quote with `gpusInUse` of the type's stock taken by running pods.
    func quote(_ type: RunPodGPUType, at time: Double, gpusInUse: Int) -> Quote {
        var quote = quote(type, at: time)
        quote.maxGpuCountAvailable = max(0, quote.maxGpuCountAvailable - gpusInUse)
        if quote.maxGpuCountAvailable == 0 { quote.stockStatus = nil }
        return quote
    }

    /// The capacity pool of a GPU type; its units are GPUs.
    static func pool(_ type: RunPodGPUType) -> String {
        "runpod:" + type.id
    }

    /// The spot zone of a GPU type's interruptible pods (see ``SpotZones``).
    static func spotZone(_ type: RunPodGPUType) -> String {
        "runpod/" + type.id
    }

    func quote(_ type: RunPodGPUType, at time: Double) -> Quote {
        let factor = drift.factor(key: type.key, at: time, amplitude: Self.driftAmplitude)
        let spotFactor = drift.factor(key: type.key ^ 0x5350_4F54, at: time, amplitude: Self.driftAmplitude * 2)
        func price(_ base: Double?, _ factor: Double) -> Double? {
            base.map { ($0 * factor * 100).rounded() / 100 }
        }
        let slot = SplitMix64.hash(drift.seed, type.key, UInt64((time / Self.slotSeconds).rounded(.down)))
        let stock: String?
        switch slot % 10 {
        case 0: stock = nil
        case 1, 2: stock = "Low"
        case 3, 4, 5: stock = "Medium"
        default: stock = "High"
        }
        let available: Int
        switch stock {
        case nil: available = 0
        case "Low": available = max(1, type.maxGpuCount / 4)
        case "Medium": available = max(1, type.maxGpuCount / 2)
        default: available = type.maxGpuCount
        }
        return Quote(
            securePrice: price(type.securePrice, factor),
            communityPrice: price(type.communityPrice, factor),
            secureSpotPrice: price(type.secureSpotPrice, spotFactor),
            communitySpotPrice: price(type.communitySpotPrice, spotFactor),
            stockStatus: stock,
            maxGpuCountAvailable: available
        )
    }

    static func generate(seed: UInt64) -> RunPodMarket {
        RunPodMarket(types: catalog, drift: PriceDrift(seed: seed))
    }
}
