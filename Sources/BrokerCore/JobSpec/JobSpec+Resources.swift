extension JobSpec {
    /// What each node must have, and how many nodes.
    public struct Resources: Sendable, Equatable, Encodable {
        /// Acceptable GPUs as written: canonical model names ("A100-80GB") or families ("H100"),
        /// each known to the catalog, none repeated.
        public var gpu: [String]
        public var gpusPerNode: Int
        public var nodes: Int
        public var minGPUMemoryGB: Int?
        public var minVCPUs: Int?
        public var minMemoryGB: Int?
        public var minDiskGB: Int?
        public var interconnect: Interconnect?

        public init(
            gpu: [String],
            gpusPerNode: Int,
            nodes: Int,
            minGPUMemoryGB: Int? = nil,
            minVCPUs: Int? = nil,
            minMemoryGB: Int? = nil,
            minDiskGB: Int? = nil,
            interconnect: Interconnect? = nil
        ) {
            self.gpu = gpu
            self.gpusPerNode = gpusPerNode
            self.nodes = nodes
            self.minGPUMemoryGB = minGPUMemoryGB
            self.minVCPUs = minVCPUs
            self.minMemoryGB = minMemoryGB
            self.minDiskGB = minDiskGB
            self.interconnect = interconnect
        }

        /// Every model ``gpu`` selects (see ``GPUCatalog/models(matching:)``), without repeats.
        public func acceptedModels(in catalog: GPUCatalog = .standard) -> [GPUModel] {
            var seen: Set<String> = []
            return gpu.flatMap { catalog.models(matching: $0) }.filter { seen.insert($0.name).inserted }
        }

        enum CodingKeys: String, CodingKey {
            case gpu
            case gpusPerNode = "gpus_per_node"
            case nodes
            case minGPUMemoryGB = "min_gpu_memory_gb"
            case minVCPUs = "min_vcpus"
            case minMemoryGB = "min_memory_gb"
            case minDiskGB = "min_disk_gb"
            case interconnect
        }
    }

    /// The link a job needs between its GPUs.
    public enum Interconnect: String, Sendable, Hashable, Codable, CaseIterable {
        /// Any link (every multi-GPU machine has at least PCIe).
        case pcie
        /// NVLink (or SXM boards, which have it) between the GPUs of a node.
        case nvlink
        /// InfiniBand (or an equivalent RDMA fabric) between nodes.
        case infiniband
    }
}

extension JobSpec.Resources {
    static func read(_ field: JSONField, with reader: inout JSONFieldReader, catalog: GPUCatalog) -> Self? {
        guard var object = reader.object(field) else { return nil }
        let amounts = 0...JobSpec.Limits.maxResourceAmount
        let gpu = reader.required("gpu", of: &object) { Self.readGPUs($1, with: &$0, catalog: catalog) }
        let gpusPerNode = reader.required("gpus_per_node", of: &object) {
            $0.integer($1, in: 1...JobSpec.Limits.maxGPUsPerNode)
        }
        let nodes = reader.required("nodes", of: &object) { $0.integer($1, in: 1...JobSpec.Limits.maxNodes) }
        let minGPUMemoryGB = reader.optional("min_gpu_memory_gb", of: &object) { $0.integer($1, in: amounts) }
        let minVCPUs = reader.optional("min_vcpus", of: &object) { $0.integer($1, in: amounts) }
        let minMemoryGB = reader.optional("min_memory_gb", of: &object) { $0.integer($1, in: amounts) }
        let minDiskGB = reader.optional("min_disk_gb", of: &object) { $0.integer($1, in: amounts) }
        let interconnect = reader.optional("interconnect", of: &object) {
            $0.choice($1, as: JobSpec.Interconnect.self)
        }
        reader.close(object)

        if let gpu, let minGPUMemoryGB,
            let largest = gpu.flatMap({ catalog.models(matching: $0) }).map(\.memoryGB).max(), minGPUMemoryGB > largest
        {
            reader.report(
                field.path(ofMember: "min_gpu_memory_gb"),
                "is more than any GPU in resources.gpu has (at most \(largest) GB)")
        }
        guard let gpu, let gpusPerNode, let nodes else { return nil }
        return Self(
            gpu: gpu, gpusPerNode: gpusPerNode, nodes: nodes, minGPUMemoryGB: minGPUMemoryGB, minVCPUs: minVCPUs,
            minMemoryGB: minMemoryGB, minDiskGB: minDiskGB, interconnect: interconnect)
    }

    /// A non-empty list of catalog models or families, none repeated.
    private static func readGPUs(_ field: JSONField, with reader: inout JSONFieldReader, catalog: GPUCatalog)
        -> [String]?
    {
        let names = reader.strings(
            field,
            element: { reader, element in
                guard let name = reader.string(element) else { return nil }
                guard !catalog.models(matching: name).isEmpty else {
                    reader.report(element.path, "unknown GPU model or family '\(name)'")
                    return nil
                }
                return name
            },
            uniqueBy: GPUNameKey.normalize)
        guard let names else { return nil }
        guard !names.isEmpty else {
            reader.report(field.path, "must list at least one GPU model or family")
            return nil
        }
        return names
    }
}
