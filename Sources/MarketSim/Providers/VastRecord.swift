/// Writes one Vast offer with the field names of Vast's `bundles` answer.
enum VastRecord {
    static func totalFlops(_ offer: VastOffer) -> Double {
        (VastGPU.table[offer.gpu].teraflops * Double(offer.numGPUs) * 10).rounded() / 10
    }

    static func dlperf(_ offer: VastOffer) -> Double {
        (VastGPU.table[offer.gpu].teraflops * 0.22 * Double(offer.numGPUs) * offer.reliability * 100).rounded() / 100
    }

    static func score(_ offer: VastOffer, _ pricing: VastMarket.Pricing) -> Double {
        (dlperf(offer) / max(pricing.dphTotal, 0.0001) * offer.reliability * 10).rounded() / 10
    }

    static func write(_ offer: VastOffer, _ pricing: VastMarket.Pricing, to json: inout JSONWriter) {
        let gpu = VastGPU.table[offer.gpu]
        let dlperf = dlperf(offer)
        json.raw("{\"id\":")
        json.int(offer.id)
        json.raw(",\"ask_contract_id\":")
        json.int(offer.askContractID)
        json.raw(",\"bundle_id\":")
        json.int(offer.askContractID)
        json.raw(",\"machine_id\":")
        json.int(offer.machineID)
        json.raw(",\"host_id\":")
        json.int(offer.hostID)
        json.raw(",\"gpu_name\":")
        json.string(gpu.name)
        json.raw(",\"gpu_arch\":\"nvidia\",\"num_gpus\":")
        json.int(offer.numGPUs)
        json.raw(",\"gpu_ram\":")
        json.int(gpu.memoryMB)
        json.raw(",\"gpu_total_ram\":")
        json.int(gpu.memoryMB * offer.numGPUs)
        json.raw(",\"gpu_frac\":1.0,\"cpu_cores\":")
        json.int(offer.cpuCores)
        json.raw(",\"cpu_cores_effective\":")
        json.decimal(offer.cpuCoresEffective, fractionDigits: 1)
        json.raw(",\"cpu_ghz\":")
        json.decimal(offer.cpuGHz, fractionDigits: 1)
        json.raw(",\"cpu_ram\":")
        json.int(offer.cpuRAM)
        json.raw(",\"disk_space\":")
        json.decimal(offer.diskSpace, fractionDigits: 1)
        json.raw(",\"dph_base\":")
        json.decimal(pricing.dphBase)
        json.raw(",\"dph_total\":")
        json.decimal(pricing.dphTotal)
        json.raw(",\"min_bid\":")
        json.decimal(pricing.minBid)
        json.raw(",\"storage_cost\":")
        json.decimal(offer.storageCost, fractionDigits: 2)
        json.raw(",\"reliability2\":")
        json.decimal(offer.reliability)
        json.raw(",\"reliability\":")
        json.decimal(offer.reliability)
        json.raw(",\"geolocation\":")
        json.string(VastGeography.locations[offer.location].name)
        json.raw(",\"inet_up\":")
        json.decimal(offer.inetUp, fractionDigits: 1)
        json.raw(",\"inet_down\":")
        json.decimal(offer.inetDown, fractionDigits: 1)
        json.raw(",\"pcie_bw\":")
        json.decimal(offer.pcieBandwidth, fractionDigits: 1)
        json.raw(",\"compute_cap\":")
        json.int(gpu.computeCapability)
        json.raw(",\"cuda_max_good\":")
        json.raw(cudaLiteral(offer.cuda))
        json.raw(",\"driver_version\":")
        json.string(VastMarket.driverVersions[offer.driver])
        json.raw(",\"total_flops\":")
        json.decimal(totalFlops(offer), fractionDigits: 1)
        json.raw(",\"dlperf\":")
        json.decimal(dlperf, fractionDigits: 2)
        json.raw(",\"dlperf_per_dphtotal\":")
        json.decimal(dlperf / max(pricing.dphTotal, 0.0001), fractionDigits: 2)
        json.raw(",\"score\":")
        json.decimal(score(offer, pricing), fractionDigits: 1)
        json.raw(",\"verification\":\"verified\",\"external\":false,\"rentable\":true,\"rented\":false")
        json.raw(",\"static_ip\":")
        json.bool(offer.staticIP)
        json.raw(",\"direct_port_count\":")
        json.int(offer.directPortCount)
        json.raw(",\"start_date\":")
        json.decimal((pricing.time - offer.listedFor).rounded(.down), fractionDigits: 1)
        json.raw(",\"end_date\":")
        json.decimal((pricing.time + offer.listedUntil).rounded(.down), fractionDigits: 1)
        json.raw(",\"duration\":")
        json.decimal(offer.listedUntil.rounded(.down), fractionDigits: 1)
        json.raw("}")
    }

    /// `cuda_max_good` as the JSON number Vast writes (12.4), from ``VastMarket/cudaVersions``.
    private static func cudaLiteral(_ index: Int) -> StaticString {
        switch index {
        case 0: "11.8"
        case 1: "12.0"
        case 2: "12.2"
        case 3: "12.4"
        case 4: "12.6"
        default: "12.8"
        }
    }
}
