/// One GPU model as Vast.ai lists it, with how common it is on the marketplace and what it rents for.
struct VastGPU: Sendable {
    /// Vast's spelling, e.g. "RTX 4090", "H100 SXM", "A100 SXM4".
    var name: String
    /// Memory per GPU in MB, as Vast's `gpu_ram`.
    var memoryMB: Int
    /// CUDA compute capability × 100, as Vast's `compute_cap`.
    var computeCapability: Int
    /// Relative share of the marketplace's offers.
    var weight: Double
    /// On-demand price range per GPU-hour, in dollars.
    var pricePerGPU: ClosedRange<Double>
    /// Datacenter cards come in bigger machines, more often in 8-GPU boxes.
    var datacenter: Bool
    /// Peak dense half-precision TFLOPS per GPU, for `total_flops`, `dlperf` and `score`.
    var teraflops: Double
    /// Allowed `num_gpus` values.
    var counts: [Int]
}

extension VastGPU {
    /// The marketplace's mix: mostly consumer cards, with a long tail of datacenter GPUs. Some names
    /// ("RTX 5090", "RTX 3080", "RTX A4000") are deliberately absent from the broker's catalog, as
    /// real markets always list a few GPUs a broker does not know yet.
    static let table: [VastGPU] = [
        VastGPU(
            name: "RTX 4090", memoryMB: 24_564, computeCapability: 890, weight: 24, pricePerGPU: 0.30...0.70,
            datacenter: false, teraflops: 165, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "RTX 3090", memoryMB: 24_576, computeCapability: 860, weight: 16, pricePerGPU: 0.15...0.32,
            datacenter: false, teraflops: 71, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "RTX 5090", memoryMB: 32_607, computeCapability: 1200, weight: 6, pricePerGPU: 0.55...0.95,
            datacenter: false, teraflops: 209, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "RTX 3080", memoryMB: 10_240, computeCapability: 860, weight: 3, pricePerGPU: 0.08...0.18,
            datacenter: false, teraflops: 59, counts: [1, 2, 4]),
        VastGPU(
            name: "RTX A4000", memoryMB: 16_376, computeCapability: 860, weight: 2, pricePerGPU: 0.10...0.20,
            datacenter: false, teraflops: 76, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "RTX A5000", memoryMB: 24_564, computeCapability: 860, weight: 4, pricePerGPU: 0.18...0.32,
            datacenter: false, teraflops: 111, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "RTX A6000", memoryMB: 49_140, computeCapability: 860, weight: 7, pricePerGPU: 0.40...0.65,
            datacenter: false, teraflops: 155, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "RTX 6000Ada", memoryMB: 49_140, computeCapability: 890, weight: 4, pricePerGPU: 0.65...0.95,
            datacenter: false, teraflops: 364, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "L40S", memoryMB: 46_068, computeCapability: 890, weight: 4, pricePerGPU: 0.80...1.30,
            datacenter: true, teraflops: 362, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "L40", memoryMB: 46_068, computeCapability: 890, weight: 2, pricePerGPU: 0.60...0.95,
            datacenter: true, teraflops: 181, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "A40", memoryMB: 46_068, computeCapability: 860, weight: 3, pricePerGPU: 0.35...0.55,
            datacenter: true, teraflops: 150, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "L4", memoryMB: 23_034, computeCapability: 890, weight: 2, pricePerGPU: 0.25...0.45,
            datacenter: true, teraflops: 121, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "A10", memoryMB: 23_028, computeCapability: 860, weight: 1, pricePerGPU: 0.25...0.40,
            datacenter: true, teraflops: 125, counts: [1, 2, 4]),
        VastGPU(
            name: "A100 PCIE", memoryMB: 40_960, computeCapability: 800, weight: 3, pricePerGPU: 0.70...1.10,
            datacenter: true, teraflops: 312, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "A100 SXM4", memoryMB: 81_920, computeCapability: 800, weight: 5, pricePerGPU: 1.20...2.00,
            datacenter: true, teraflops: 312, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "H100 SXM", memoryMB: 81_559, computeCapability: 900, weight: 6, pricePerGPU: 2.00...3.50,
            datacenter: true, teraflops: 989, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "H100 PCIE", memoryMB: 81_559, computeCapability: 900, weight: 3, pricePerGPU: 1.60...2.60,
            datacenter: true, teraflops: 756, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "H100 NVL", memoryMB: 95_830, computeCapability: 900, weight: 2, pricePerGPU: 2.00...3.00,
            datacenter: true, teraflops: 835, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "H200", memoryMB: 143_771, computeCapability: 900, weight: 2, pricePerGPU: 3.00...4.20,
            datacenter: true, teraflops: 989, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "B200", memoryMB: 183_359, computeCapability: 1000, weight: 1, pricePerGPU: 4.50...6.50,
            datacenter: true, teraflops: 2250, counts: [8]),
        VastGPU(
            name: "Tesla V100", memoryMB: 16_384, computeCapability: 700, weight: 3, pricePerGPU: 0.20...0.40,
            datacenter: true, teraflops: 125, counts: [1, 2, 4, 8]),
        VastGPU(
            name: "Tesla T4", memoryMB: 15_360, computeCapability: 750, weight: 1, pricePerGPU: 0.10...0.20,
            datacenter: true, teraflops: 65, counts: [1, 2, 4]),
    ]

    /// Running sums of ``table``'s weights, for weighted draws.
    static let cumulativeWeights: [Double] = table.reduce(into: []) { sums, gpu in
        sums.append((sums.last ?? 0) + gpu.weight)
    }
}

/// Where Vast hosts are: `geolocation` spellings ("Oregon, US", "DE") with their share of hosts.
enum VastGeography {
    static let locations: [(name: String, weight: Double)] = [
        ("Oregon, US", 5), ("California, US", 7), ("Texas, US", 6), ("Virginia, US", 4), ("New York, US", 3),
        ("Washington, US", 3), ("Nevada, US", 2), ("Utah, US", 2), ("Florida, US", 3), ("Illinois, US", 3),
        ("Georgia, US", 2), ("Arizona, US", 2), ("US", 4), ("Quebec, CA", 4), ("Ontario, CA", 3),
        ("British Columbia, CA", 2), ("CA", 1), ("DE", 3), ("Bavaria, DE", 2), ("Hesse, DE", 2), ("FR", 2),
        ("NL", 2), ("North Holland, NL", 2), ("GB", 2), ("England, GB", 2), ("SE", 2), ("NO", 2), ("FI", 2),
        ("PL", 2), ("CZ", 1), ("ES", 1), ("IT", 1), ("RO", 1), ("BG", 1), ("UA", 1), ("IS", 1), ("JP", 1),
        ("Tokyo, JP", 1), ("KR", 1), ("SG", 1), ("TW", 2), ("HK", 1), ("IN", 1), ("AU", 1),
        ("New South Wales, AU", 1), ("BR", 1), ("VN", 2), ("TH", 1), ("CN", 2),
    ]

    static let cumulativeWeights: [Double] = locations.reduce(into: []) { sums, location in
        sums.append((sums.last ?? 0) + location.weight)
    }

    /// The two-letter country code at the end of a `geolocation`.
    static func country(of location: String) -> Substring {
        location.suffix(2)
    }
}
