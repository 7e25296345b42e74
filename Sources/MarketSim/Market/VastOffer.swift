/// One Vast.ai offer (a machine's GPUs for rent) as generated; prices at a given time come from
/// ``VastMarket/pricing(of:at:)``.
struct VastOffer: Sendable {
    var id: Int
    var askContractID: Int
    var machineID: Int
    var hostID: Int
    /// Index into ``VastGPU/table``.
    var gpu: Int
    var numGPUs: Int
    var cpuCores: Int
    var cpuCoresEffective: Double
    var cpuGHz: Double
    /// System RAM in MB.
    var cpuRAM: Int
    /// Disk in GB.
    var diskSpace: Double
    /// `dph_base` at a drift factor of 1, for the whole offer.
    var basePrice: Double
    /// Storage cost in $/GB/month.
    var storageCost: Double
    /// `min_bid` as a share of `dph_total`.
    var bidRatio: Double
    var reliability: Double
    /// Index into ``VastGeography/locations``.
    var location: Int
    var inetUp: Double
    var inetDown: Double
    var pcieBandwidth: Double
    /// Index into ``VastMarket/cudaVersions``.
    var cuda: Int
    /// Index into ``VastMarket/driverVersions``.
    var driver: Int
    var staticIP: Bool
    var directPortCount: Int
    /// How long before "now" the offer was listed, in seconds.
    var listedFor: Double
    /// How long after "now" the listing ends, in seconds.
    var listedUntil: Double
    /// The offer's key for price drift and capacity.
    var key: UInt64
}

/// The Vast side of the market: the generated offers and how they look at a given time.
struct VastMarket: Sendable {
    static let cudaVersions: [String] = ["11.8", "12.0", "12.2", "12.4", "12.6", "12.8"]
    static let driverVersions: [String] = ["525.147.05", "535.183.01", "550.127.05", "560.35.03", "570.124.06"]
    /// How much a Vast price drifts around its base (±15 %).
    static let driftAmplitude = 0.15
    /// Share of offers rented out (not listed) in any two-hour slot.
    static let outage = 0.12
    static let slotSeconds = 7_200.0
    /// Cumulative weights of 1, 2, 4 and 8 GPUs per offer: datacenter boxes are mostly 8-GPU.
    static let datacenterCountWeights: [Double] = [20, 35, 55, 100]
    static let consumerCountWeights: [Double] = [38, 64, 84, 100]

    var offers: [VastOffer]
    let drift: PriceDrift

    /// One offer's prices at a time.
    struct Pricing {
        /// The time priced, Unix seconds.
        var time: Double
        var dphBase: Double
        var dphTotal: Double
        var minBid: Double
    }

    func pricing(of offer: VastOffer, at time: Double) -> Pricing {
        let factor = drift.factor(key: offer.key, at: time, amplitude: Self.driftAmplitude)
        let base = Self.round4(offer.basePrice * factor)
        // Vast's dph_total includes storage for the default 5 GB allocation at the host's rate.
        let total = Self.round4(base + offer.storageCost * 5 / 730)
        return Pricing(time: time, dphBase: base, dphTotal: total, minBid: Self.round4(total * offer.bidRatio))
    }

    func isListed(_ offer: VastOffer, at time: Double) -> Bool {
        drift.isAvailable(key: offer.key, at: time, slotSeconds: Self.slotSeconds, outage: Self.outage)
    }

    /// The capacity pool of an ask: the one machine it offers.
    static func pool(askID: Int) -> String {
        "vast:" + String(askID)
    }

    /// The spot zone of an ask's interruptible bids: its location (see ``SpotZones``).
    static func spotZone(_ offer: VastOffer) -> String {
        "vast/" + VastGeography.locations[offer.location].name
    }

    static func round4(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }

    /// Generates `count` offers.
    static func generate(count: Int, seed: UInt64) -> VastMarket {
        var random = SplitMix64(seed: SplitMix64.hash(seed, 0x5641_5354))
        var offers: [VastOffer] = []
        offers.reserveCapacity(count)
        var id = 4_100_000 + random.int(in: 0...999_999)
        var machineID = 10_000 + random.int(in: 0...9_999)
        var hostID = 20_000 + random.int(in: 0...9_999)
        var machinesLeftOnHost = 0
        for _ in 0..<count {
            id += 1 + random.int(in: 0...6)
            machineID += 1 + random.int(in: 0...2)
            if machinesLeftOnHost == 0 {
                hostID += 1 + random.int(in: 0...30)
                machinesLeftOnHost = random.int(in: 1...6)
            }
            machinesLeftOnHost -= 1
            offers.append(makeOffer(id: id, machineID: machineID, hostID: hostID, seed: seed, random: &random))
        }
        return VastMarket(offers: offers, drift: PriceDrift(seed: seed))
    }

    private static func makeOffer(
        id: Int, machineID: Int, hostID: Int, seed: UInt64, random: inout SplitMix64
    ) -> VastOffer {
        let gpuIndex = random.weightedIndex(VastGPU.cumulativeWeights)
        let gpu = VastGPU.table[gpuIndex]
        let countWeights = gpu.datacenter ? Self.datacenterCountWeights : Self.consumerCountWeights
        let numGPUs = gpu.counts[random.weightedIndex(countWeights.prefix(gpu.counts.count))]
        let coresPerGPU = gpu.datacenter ? random.int(in: 8...28) : random.int(in: 4...16)
        let cpuCores = max(4, coresPerGPU * numGPUs / 2 * 2)
        let ramPerGPU = gpu.datacenter ? random.int(in: 64...256) : random.int(in: 16...128)
        let disk = (random.uniform(gpu.datacenter ? 200...4_000 : 40...2_000) * 10).rounded() / 10
        // Price per GPU skewed towards the cheap end of the range, as on a real marketplace.
        let position = random.unit() * random.unit().squareRoot()
        let perGPU = gpu.pricePerGPU.lowerBound + position * (gpu.pricePerGPU.upperBound - gpu.pricePerGPU.lowerBound)
        let reliability = 1 - 0.1 * random.unit() * random.unit() * random.unit()
        let inetDown = (random.uniform(50...9_000) * 10).rounded() / 10
        return VastOffer(
            id: id,
            askContractID: id,
            machineID: machineID,
            hostID: hostID,
            gpu: gpuIndex,
            numGPUs: numGPUs,
            cpuCores: cpuCores,
            cpuCoresEffective: Double(cpuCores),
            cpuGHz: (random.uniform(2.0...4.8) * 10).rounded() / 10,
            cpuRAM: ramPerGPU * numGPUs * 1_024,
            diskSpace: disk,
            basePrice: perGPU * Double(numGPUs),
            storageCost: (random.uniform(0.05...0.30) * 100).rounded() / 100,
            bidRatio: random.uniform(0.30...0.70),
            reliability: (reliability * 10_000).rounded() / 10_000,
            location: random.weightedIndex(VastGeography.cumulativeWeights),
            inetUp: (inetDown * random.uniform(0.3...1.0) * 10).rounded() / 10,
            inetDown: inetDown,
            pcieBandwidth: (random.uniform(3...52) * 10).rounded() / 10,
            cuda: random.int(in: 0...(cudaVersions.count - 1)),
            driver: random.int(in: 0...(driverVersions.count - 1)),
            staticIP: random.chance(0.6),
            directPortCount: random.chance(0.8) ? random.int(in: 1...2_000) : 0,
            listedFor: random.uniform(86_400...(86_400 * 300)),
            listedUntil: random.uniform(86_400 * 3...(86_400 * 180)),
            key: SplitMix64.hash(seed, UInt64(id), 0x5641_5354)
        )
    }
}
