import BrokerCore
import Foundation

/// Offers and specs for the placement tests.
enum MatchingFixtures {
    /// 2026-11-21T20:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_291_200)

    /// An offer that meets ``spec(_:)``'s requirements unless told otherwise; `id` is "provider:native".
    static func offer(
        _ id: String, gpu: String = "H100-SXM", gpus: Int = 8, dollars: Double, market: Market = .onDemand,
        region: String = "r1", country: String? = "US", available: Int = 1, gpuMemoryGB: Int = 80, vcpus: Int = 96,
        memoryGB: Int = 1024, diskGB: Int = 2000, interconnect: String? = "nvlink"
    ) -> Offer {
        Offer(
            id: OfferID(id)!, gpu: GPUName(resolving: gpu), gpuCount: gpus, gpuMemoryGB: gpuMemoryGB,
            interconnect: interconnect, vcpus: vcpus, memoryGB: memoryGB, diskGB: diskGB, region: region,
            country: country, market: market, pricePerHour: Money(dollars: dollars)!, available: available,
            reliability: nil, firstSeenAt: now, lastSeenAt: now, raw: nil)
    }

    /// One node of eight H100-SXMs anywhere, in either market, changed by `change`.
    static func spec(_ change: (inout JobSpec) -> Void = { _ in }) -> JobSpec {
        var spec = JobSpec(
            name: "test", resources: JobSpec.Resources(gpu: ["H100-SXM"], gpusPerNode: 8, nodes: 1), image: "img",
            command: ["train"])
        change(&spec)
        return spec
    }

    /// `gpuHours` measured on the A100-80GB.
    static func work(_ gpuHours: Double) -> JobSpec.Work {
        JobSpec.Work(gpuHours: gpuHours, referenceGPU: GPUCatalog.standard.model(named: "A100-80GB")!)
    }
}
