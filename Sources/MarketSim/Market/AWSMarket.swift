/// One EC2 GPU instance type.
struct AWSInstanceType: Sendable {
    var name: String
    var gpu: String
    var gpus: Int
    /// On-demand Linux price in us-east-1, $/h.
    var onDemand: Double
    /// Large, scarce types are in fewer zones.
    var zoneShare: Double
}

/// One spot price series: an instance type in an availability zone.
struct AWSSpotSeries: Sendable {
    /// Index into ``AWSMarket/instanceTypes``.
    var type: Int
    /// Index into ``AWSMarket/zones``.
    var zone: Int
    /// Spot base price, $/h.
    var spotBase: Double
    var key: UInt64
}

/// EC2's GPU instance types, regions and zones, and the spot price of each (type, zone) over time.
struct AWSMarket: Sendable {
    static let driftAmplitude = 0.15

    static let instanceTypes: [AWSInstanceType] = [
        .init(name: "p5.48xlarge", gpu: "H100", gpus: 8, onDemand: 98.32, zoneShare: 0.35),
        .init(name: "p5e.48xlarge", gpu: "H200", gpus: 8, onDemand: 113.44, zoneShare: 0.2),
        .init(name: "p4d.24xlarge", gpu: "A100 40GB", gpus: 8, onDemand: 32.77, zoneShare: 0.5),
        .init(name: "p4de.24xlarge", gpu: "A100 80GB", gpus: 8, onDemand: 40.97, zoneShare: 0.25),
        .init(name: "p3.2xlarge", gpu: "V100", gpus: 1, onDemand: 3.06, zoneShare: 0.8),
        .init(name: "p3.8xlarge", gpu: "V100", gpus: 4, onDemand: 12.24, zoneShare: 0.8),
        .init(name: "p3.16xlarge", gpu: "V100", gpus: 8, onDemand: 24.48, zoneShare: 0.7),
        .init(name: "p3dn.24xlarge", gpu: "V100 32GB", gpus: 8, onDemand: 31.21, zoneShare: 0.4),
        .init(name: "g6e.xlarge", gpu: "L40S", gpus: 1, onDemand: 1.861, zoneShare: 0.6),
        .init(name: "g6e.2xlarge", gpu: "L40S", gpus: 1, onDemand: 2.242, zoneShare: 0.6),
        .init(name: "g6e.4xlarge", gpu: "L40S", gpus: 1, onDemand: 3.004, zoneShare: 0.6),
        .init(name: "g6e.8xlarge", gpu: "L40S", gpus: 1, onDemand: 4.529, zoneShare: 0.6),
        .init(name: "g6e.12xlarge", gpu: "L40S", gpus: 4, onDemand: 10.493, zoneShare: 0.5),
        .init(name: "g6e.16xlarge", gpu: "L40S", gpus: 1, onDemand: 7.577, zoneShare: 0.5),
        .init(name: "g6e.24xlarge", gpu: "L40S", gpus: 4, onDemand: 15.066, zoneShare: 0.5),
        .init(name: "g6e.48xlarge", gpu: "L40S", gpus: 8, onDemand: 30.131, zoneShare: 0.4),
        .init(name: "g6.xlarge", gpu: "L4", gpus: 1, onDemand: 0.805, zoneShare: 0.8),
        .init(name: "g6.2xlarge", gpu: "L4", gpus: 1, onDemand: 0.978, zoneShare: 0.8),
        .init(name: "g6.4xlarge", gpu: "L4", gpus: 1, onDemand: 1.323, zoneShare: 0.8),
        .init(name: "g6.8xlarge", gpu: "L4", gpus: 1, onDemand: 2.014, zoneShare: 0.8),
        .init(name: "g6.12xlarge", gpu: "L4", gpus: 4, onDemand: 4.602, zoneShare: 0.7),
        .init(name: "g6.16xlarge", gpu: "L4", gpus: 1, onDemand: 3.397, zoneShare: 0.7),
        .init(name: "g6.24xlarge", gpu: "L4", gpus: 4, onDemand: 6.675, zoneShare: 0.7),
        .init(name: "g6.48xlarge", gpu: "L4", gpus: 8, onDemand: 13.350, zoneShare: 0.6),
        .init(name: "g5.xlarge", gpu: "A10G", gpus: 1, onDemand: 1.006, zoneShare: 0.9),
        .init(name: "g5.2xlarge", gpu: "A10G", gpus: 1, onDemand: 1.212, zoneShare: 0.9),
        .init(name: "g5.4xlarge", gpu: "A10G", gpus: 1, onDemand: 1.624, zoneShare: 0.9),
        .init(name: "g5.8xlarge", gpu: "A10G", gpus: 1, onDemand: 2.448, zoneShare: 0.9),
        .init(name: "g5.12xlarge", gpu: "A10G", gpus: 4, onDemand: 5.672, zoneShare: 0.8),
        .init(name: "g5.16xlarge", gpu: "A10G", gpus: 1, onDemand: 4.096, zoneShare: 0.8),
        .init(name: "g5.24xlarge", gpu: "A10G", gpus: 4, onDemand: 8.144, zoneShare: 0.8),
        .init(name: "g5.48xlarge", gpu: "A10G", gpus: 8, onDemand: 16.288, zoneShare: 0.7),
        .init(name: "g4dn.xlarge", gpu: "T4", gpus: 1, onDemand: 0.526, zoneShare: 1.0),
        .init(name: "g4dn.2xlarge", gpu: "T4", gpus: 1, onDemand: 0.752, zoneShare: 1.0),
        .init(name: "g4dn.4xlarge", gpu: "T4", gpus: 1, onDemand: 1.204, zoneShare: 1.0),
        .init(name: "g4dn.8xlarge", gpu: "T4", gpus: 1, onDemand: 2.176, zoneShare: 0.9),
        .init(name: "g4dn.12xlarge", gpu: "T4", gpus: 4, onDemand: 3.912, zoneShare: 0.9),
        .init(name: "g4dn.16xlarge", gpu: "T4", gpus: 1, onDemand: 4.352, zoneShare: 0.9),
        .init(name: "g4dn.metal", gpu: "T4", gpus: 8, onDemand: 7.824, zoneShare: 0.6),
        .init(name: "p2.xlarge", gpu: "K80", gpus: 1, onDemand: 0.90, zoneShare: 0.5),
        .init(name: "p2.8xlarge", gpu: "K80", gpus: 8, onDemand: 7.20, zoneShare: 0.4),
        .init(name: "p2.16xlarge", gpu: "K80", gpus: 16, onDemand: 14.40, zoneShare: 0.3),
    ]

    /// Regions with their zones and a price multiplier relative to us-east-1.
    static let regions: [(name: String, zones: String, priceFactor: Double)] = [
        ("us-east-1", "abcdef", 1.0), ("us-east-2", "abc", 1.0), ("us-west-1", "ac", 1.17),
        ("us-west-2", "abcd", 1.0), ("ca-central-1", "abd", 1.11), ("sa-east-1", "abc", 1.6),
        ("eu-central-1", "abc", 1.21), ("eu-west-1", "abc", 1.11), ("eu-west-2", "abc", 1.17),
        ("eu-west-3", "abc", 1.17), ("eu-north-1", "abc", 1.06), ("ap-northeast-1", "acd", 1.26),
        ("ap-northeast-2", "abcd", 1.2), ("ap-southeast-1", "abc", 1.25), ("ap-southeast-2", "abc", 1.25),
        ("ap-south-1", "abc", 1.07),
    ]

    /// Every zone: (region index, zone name).
    static let zones: [(region: Int, name: String)] = regions.enumerated().flatMap { index, region in
        region.zones.map { (index, region.name + String($0)) }
    }

    /// The product descriptions spot prices are published for, with their premium over Linux.
    static let productDescriptions: [(name: String, premium: Double)] = [
        ("Linux/UNIX", 0), ("Linux/UNIX (Amazon VPC)", 0), ("SUSE Linux", 0.10), ("Red Hat Enterprise Linux", 0.13),
        ("Windows", 0.46), ("Windows (Amazon VPC)", 0.46),
    ]

    /// Series in (type, zone) order, the order DescribeSpotPriceHistory pages through.
    let series: [AWSSpotSeries]
    let drift: PriceDrift

    func spotPrice(_ series: AWSSpotSeries, at time: Double) -> Double {
        let factor = drift.factor(key: series.key, at: time, amplitude: Self.driftAmplitude)
        return (series.spotBase * factor * 1_000_000).rounded() / 1_000_000
    }

    /// How many instances of the series' type its zone has room for: a few.
    func capacity(_ series: AWSSpotSeries) -> Int {
        2 + Int(SplitMix64.hash(drift.seed, series.key, 0x4341_5041) % 3)
    }

    /// The capacity pool of a (type, zone), shared by spot and on-demand instances.
    static func pool(_ series: AWSSpotSeries) -> String {
        "aws:" + instanceTypes[series.type].name + ":" + zones[series.zone].name
    }

    /// The spot zone of a (type, zone): its availability zone (see ``SpotZones``).
    static func spotZone(_ series: AWSSpotSeries) -> String {
        "aws/" + zones[series.zone].name
    }

    /// The on-demand price of `type` in the region at `regionIndex`, $/h.
    static func onDemandPrice(_ type: AWSInstanceType, regionIndex: Int) -> Double {
        type.onDemand * regions[regionIndex].priceFactor
    }

    /// The (type, zone) pairs that exist, at most `maximumSeries` of them (a seeded choice).
    static func generate(seed: UInt64, maximumSeries: Int) -> AWSMarket {
        var random = SplitMix64(seed: SplitMix64.hash(seed, 0x4157_53))
        var all: [AWSSpotSeries] = []
        for (typeIndex, type) in instanceTypes.enumerated() {
            // Every type is sold somewhere in us-east-1, as on the real EC2.
            let homeZone = random.int(in: 0...(regions[0].zones.count - 1))
            for (zoneIndex, zone) in zones.enumerated() where random.chance(type.zoneShare) || zoneIndex == homeZone {
                let onDemand = onDemandPrice(type, regionIndex: zone.region)
                let spotBase = onDemand * random.uniform(0.32...0.55)
                let key = SplitMix64.hash(seed, SplitMix64.key(type.name), SplitMix64.key(zone.name))
                all.append(AWSSpotSeries(type: typeIndex, zone: zoneIndex, spotBase: spotBase, key: key))
            }
        }
        if all.count > maximumSeries {
            // Keep a seeded sample, in catalog order.
            var keyed = all.map { (SplitMix64.hash(seed, $0.key), $0) }
            keyed.sort { $0.0 < $1.0 }
            all = keyed.prefix(max(maximumSeries, 1)).map(\.1).sorted {
                ($0.type, $0.zone) < ($1.type, $1.zone)
            }
        }
        return AWSMarket(series: all, drift: PriceDrift(seed: seed))
    }
}
