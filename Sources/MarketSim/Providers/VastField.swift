/// A field of a Vast offer that queries can filter and sort on, resolved once per query so that
/// filtering 100,000 offers does not compare field names per offer.
enum VastField {
    case id, askContractID, machineID, hostID, numGPUs, gpuRAM, gpuTotalRAM, cpuCores, cpuCoresEffective, cpuGHz
    case cpuRAM, diskSpace, dphBase, dphTotal, minBid, storageCost, reliability, inetUp, inetDown, pcieBandwidth
    case computeCap, cudaMaxGood, directPortCount, totalFlops, dlperf, dlperfPerDollar, score, duration
    case startDate, endDate
    case rentable, rented, verified, external, staticIP
    case gpuName, geolocation, verification, driverVersion

    /// A field's value for one offer.
    enum Value {
        case number(Double)
        case bool(Bool)
        case text(String)
    }

    init?(queryName: String) {
        switch queryName {
        case "id": self = .id
        case "ask_contract_id", "bundle_id": self = .askContractID
        case "machine_id": self = .machineID
        case "host_id": self = .hostID
        case "num_gpus": self = .numGPUs
        case "gpu_ram": self = .gpuRAM
        case "gpu_total_ram": self = .gpuTotalRAM
        case "cpu_cores": self = .cpuCores
        case "cpu_cores_effective": self = .cpuCoresEffective
        case "cpu_ghz": self = .cpuGHz
        case "cpu_ram": self = .cpuRAM
        case "disk_space": self = .diskSpace
        case "dph_base": self = .dphBase
        case "dph_total", "dph", "discounted_dph_total": self = .dphTotal
        case "min_bid": self = .minBid
        case "storage_cost": self = .storageCost
        case "reliability2", "reliability": self = .reliability
        case "inet_up": self = .inetUp
        case "inet_down": self = .inetDown
        case "pcie_bw": self = .pcieBandwidth
        case "compute_cap": self = .computeCap
        case "cuda_max_good", "cuda_vers": self = .cudaMaxGood
        case "direct_port_count": self = .directPortCount
        case "total_flops": self = .totalFlops
        case "dlperf": self = .dlperf
        case "dlperf_per_dphtotal", "dlperf_usd": self = .dlperfPerDollar
        case "score": self = .score
        case "duration": self = .duration
        case "start_date": self = .startDate
        case "end_date": self = .endDate
        case "rentable": self = .rentable
        case "rented": self = .rented
        case "verified": self = .verified
        case "external": self = .external
        case "static_ip": self = .staticIP
        case "gpu_name": self = .gpuName
        case "geolocation": self = .geolocation
        case "verification": self = .verification
        case "driver_version": self = .driverVersion
        default: return nil
        }
    }

    func value(of offer: VastOffer, _ pricing: VastMarket.Pricing) -> Value {
        let gpu = VastGPU.table[offer.gpu]
        switch self {
        case .id: return .number(Double(offer.id))
        case .askContractID: return .number(Double(offer.askContractID))
        case .machineID: return .number(Double(offer.machineID))
        case .hostID: return .number(Double(offer.hostID))
        case .numGPUs: return .number(Double(offer.numGPUs))
        case .gpuRAM: return .number(Double(gpu.memoryMB))
        case .gpuTotalRAM: return .number(Double(gpu.memoryMB * offer.numGPUs))
        case .cpuCores: return .number(Double(offer.cpuCores))
        case .cpuCoresEffective: return .number(offer.cpuCoresEffective)
        case .cpuGHz: return .number(offer.cpuGHz)
        case .cpuRAM: return .number(Double(offer.cpuRAM))
        case .diskSpace: return .number(offer.diskSpace)
        case .dphBase: return .number(pricing.dphBase)
        case .dphTotal: return .number(pricing.dphTotal)
        case .minBid: return .number(pricing.minBid)
        case .storageCost: return .number(offer.storageCost)
        case .reliability: return .number(offer.reliability)
        case .inetUp: return .number(offer.inetUp)
        case .inetDown: return .number(offer.inetDown)
        case .pcieBandwidth: return .number(offer.pcieBandwidth)
        case .computeCap: return .number(Double(gpu.computeCapability))
        case .cudaMaxGood: return .number(Double(VastMarket.cudaVersions[offer.cuda]) ?? 0)
        case .directPortCount: return .number(Double(offer.directPortCount))
        case .totalFlops: return .number(VastRecord.totalFlops(offer))
        case .dlperf: return .number(VastRecord.dlperf(offer))
        case .dlperfPerDollar: return .number(VastRecord.dlperf(offer) / max(pricing.dphTotal, 0.0001))
        case .score: return .number(VastRecord.score(offer, pricing))
        case .duration: return .number(offer.listedUntil)
        case .startDate: return .number((pricing.time - offer.listedFor).rounded(.down))
        case .endDate: return .number((pricing.time + offer.listedUntil).rounded(.down))
        case .rentable, .verified: return .bool(true)
        case .rented, .external: return .bool(false)
        case .staticIP: return .bool(offer.staticIP)
        case .gpuName: return .text(gpu.name)
        case .geolocation: return .text(VastGeography.locations[offer.location].name)
        case .verification: return .text("verified")
        case .driverVersion: return .text(VastMarket.driverVersions[offer.driver])
        }
    }

    /// Text comparison as Vast does it: case-insensitive, underscores standing for spaces in GPU
    /// names ("RTX_4090"), and a two-letter geolocation matching the country at the end.
    func textMatches(_ text: String, _ wanted: String) -> Bool {
        switch self {
        case .gpuName:
            return Self.fold(text) == Self.fold(wanted)
        case .geolocation:
            if wanted.count == 2 {
                return VastGeography.country(of: text).lowercased() == wanted.lowercased()
            }
            return text.lowercased() == wanted.lowercased()
        default:
            return text.lowercased() == wanted.lowercased()
        }
    }

    private static func fold(_ text: String) -> String {
        String(text.lowercased().map { $0 == "_" ? " " : $0 })
    }

    /// A number for sorting; text and flags sort as 0.
    func sortKey(of offer: VastOffer, _ pricing: VastMarket.Pricing) -> Double {
        if case .number(let number) = value(of: offer, pricing) { return number }
        return 0
    }
}
