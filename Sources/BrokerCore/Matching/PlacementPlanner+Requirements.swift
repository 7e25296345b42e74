#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PlacementPlanner {
    /// The spec, prepared for testing offers quickly.
    struct Requirements {
        let models: [GPUModel]
        let modelNames: [String]
        let gpusPerNode: Int
        let nodes: Int
        let minGPUMemoryGB: Int
        let minVCPUs: Int
        let minMemoryGB: Int
        let minDiskGB: Int
        /// The required interconnect, lowercase.
        let interconnect: String?
        let countries: Set<String>?
        let excludedProviders: Set<String>
        let allowsSpot: Bool
        let allowsOnDemand: Bool
        let sameRegion: Bool
        let maxPricePerHour: Int64?
        let budget: Int64?
        /// Seconds from now to the deadline (only with work, which the deadline is checked against).
        let secondsToDeadline: Double?
        /// Hours the work takes on a gang of each model (parallel to ``models``), when there is work.
        let hoursByModel: [Double]?
        let spec: JobSpec

        init(_ spec: JobSpec, catalog: GPUCatalog, now: Date) {
            let resources = spec.resources
            self.spec = spec
            models = resources.acceptedModels(in: catalog)
            modelNames = models.map(\.name)
            gpusPerNode = resources.gpusPerNode
            nodes = resources.nodes
            minGPUMemoryGB = resources.minGPUMemoryGB ?? .min
            minVCPUs = resources.minVCPUs ?? .min
            minMemoryGB = resources.minMemoryGB ?? .min
            minDiskGB = resources.minDiskGB ?? .min
            interconnect = resources.interconnect?.rawValue.lowercased()
            countries = spec.placement.countries.isEmpty ? nil : Set(spec.placement.countries)
            excludedProviders = Set(spec.placement.excludeProviders)
            allowsSpot = spec.market != .onDemand
            allowsOnDemand = spec.market != .spot
            sameRegion = spec.placement.sameRegion
            maxPricePerHour = spec.maxPricePerHour?.microdollars
            budget = spec.budget?.microdollars
            if let work = spec.work {
                let gpus = Double(resources.nodes) * Double(resources.gpusPerNode)
                hoursByModel = models.map {
                    work.gpuHours * work.referenceGPU.relativeSpeed / ($0.relativeSpeed * gpus)
                }
                secondsToDeadline = spec.deadline.map { $0.timeIntervalSince(now) }
            } else {
                hoursByModel = nil
                secondsToDeadline = nil
            }
        }

        /// The index in ``models`` of the offer's GPU when the offer meets every per-node
        /// requirement, else nil.
        @inline(__always)
        func modelIndex(admitting offers: UnsafeBufferPointer<Offer>, at index: Int) -> Int? {
            guard offers[index].gpuCount == gpusPerNode, offers[index].available >= 1,
                offers[index].gpuMemoryGB >= minGPUMemoryGB, offers[index].vcpus >= minVCPUs,
                offers[index].memoryGB >= minMemoryGB, offers[index].diskGB >= minDiskGB,
                offers[index].market == .spot ? allowsSpot : allowsOnDemand
            else { return nil }
            guard case .known(let model) = offers[index].gpu, let found = modelNames.firstIndex(of: model.name) else {
                return nil
            }
            if let interconnect {
                guard let offered = offers[index].interconnect,
                    Self.equalsIgnoringASCIICase(offered, lowercase: interconnect)
                else { return nil }
            }
            if let countries {
                guard let country = offers[index].country, countries.contains(country) else { return nil }
            }
            if !excludedProviders.isEmpty, excludedProviders.contains(offers[index].id.provider) { return nil }
            return found
        }

        /// Whether `text` equals `lowercase` (all lowercase) when ASCII letters are lowercased.
        static func equalsIgnoringASCIICase(_ text: String, lowercase: String) -> Bool {
            guard text.utf8.count == lowercase.utf8.count else { return false }
            return zip(text.utf8, lowercase.utf8).allSatisfy { byte, expected in
                let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                return lowered == expected
            }
        }
    }

    /// The estimated cost of `hours` at `pricePerHour` micro-dollars, rounded up to the micro-dollar
    /// (products within a trillionth of a whole micro-dollar count as exact, so binary error does
    /// not round $127.92 up to $127.920001); saturates at `Int64.max`.
    static func costMicrodollars(pricePerHour: Int64, hours: Double) -> Int64 {
        let exact = Double(pricePerHour) * hours
        guard exact.isFinite else { return .max }
        let nearest = exact.rounded()
        let rounded = abs(exact - nearest) <= abs(nearest) * 1e-12 ? nearest : exact.rounded(.up)
        return rounded < 9.0e18 ? Int64(rounded) : .max
    }
}
