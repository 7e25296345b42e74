/// An EC2 instance type with GPUs, as AWS documents it (accelerated computing instance specs).
public struct AWSInstanceType: Sendable, Hashable {
    /// The API name, e.g. "p5.48xlarge".
    public var name: String
    /// The canonical GPU model name of the broker's catalog, e.g. "H100-SXM".
    public var gpuModel: String
    public var gpuCount: Int
    /// Memory per GPU, in GB.
    public var gpuMemoryGB: Int
    public var vcpus: Int
    /// System memory, in GiB as AWS states it.
    public var memoryGiB: Int
    /// Local instance-store disk, in GB; 0 for EBS-only types.
    public var diskGB: Int
    /// "nvlink" for NVLink/NVSwitch-connected GPUs, "pcie" for several GPUs on PCIe, nil for one GPU.
    public var interconnect: String?

    public init(
        name: String, gpuModel: String, gpuCount: Int, gpuMemoryGB: Int, vcpus: Int, memoryGiB: Int, diskGB: Int,
        interconnect: String?
    ) {
        self.name = name
        self.gpuModel = gpuModel
        self.gpuCount = gpuCount
        self.gpuMemoryGB = gpuMemoryGB
        self.vcpus = vcpus
        self.memoryGiB = memoryGiB
        self.diskGB = diskGB
        self.interconnect = interconnect
    }
}

extension AWSInstanceType {
    /// The GPU instance types the adapter prices, in the order they are requested.
    ///
    /// From the EC2 accelerated computing specifications: P5/P5e (8x H100 / H200 on NVSwitch,
    /// 8x 3.84 TB NVMe), P4d/P4de (8x A100 40/80 GB on NVSwitch, 8x 1 TB NVMe), P3 (V100 16 GB,
    /// NVLink from 4 GPUs, EBS only), P3dn (8x V100 32 GB, 2x 900 GB NVMe), G6e (L40S), G6 (L4),
    /// G5 (A10G), G4dn (T4), P2 (K80: one K80 board is two 12 GB GPUs, counted as AWS counts them).
    public static let gpuTypes: [AWSInstanceType] = [
        type("p5.48xlarge", "H100-SXM", 8, 80, vcpus: 192, memory: 2048, disk: 30_720, "nvlink"),
        type("p5e.48xlarge", "H200", 8, 141, vcpus: 192, memory: 2048, disk: 30_720, "nvlink"),
        type("p4d.24xlarge", "A100-40GB", 8, 40, vcpus: 96, memory: 1152, disk: 8000, "nvlink"),
        type("p4de.24xlarge", "A100-80GB", 8, 80, vcpus: 96, memory: 1152, disk: 8000, "nvlink"),
        type("p3.2xlarge", "V100", 1, 16, vcpus: 8, memory: 61, disk: 0, nil),
        type("p3.8xlarge", "V100", 4, 16, vcpus: 32, memory: 244, disk: 0, "nvlink"),
        type("p3.16xlarge", "V100", 8, 16, vcpus: 64, memory: 488, disk: 0, "nvlink"),
        type("p3dn.24xlarge", "V100-32GB", 8, 32, vcpus: 96, memory: 768, disk: 1800, "nvlink"),
        type("g6e.xlarge", "L40S", 1, 48, vcpus: 4, memory: 32, disk: 250, nil),
        type("g6e.2xlarge", "L40S", 1, 48, vcpus: 8, memory: 64, disk: 450, nil),
        type("g6e.4xlarge", "L40S", 1, 48, vcpus: 16, memory: 128, disk: 600, nil),
        type("g6e.8xlarge", "L40S", 1, 48, vcpus: 32, memory: 256, disk: 900, nil),
        type("g6e.16xlarge", "L40S", 1, 48, vcpus: 64, memory: 512, disk: 1900, nil),
        type("g6e.12xlarge", "L40S", 4, 48, vcpus: 48, memory: 384, disk: 3800, "pcie"),
        type("g6e.24xlarge", "L40S", 4, 48, vcpus: 96, memory: 768, disk: 3800, "pcie"),
        type("g6e.48xlarge", "L40S", 8, 48, vcpus: 192, memory: 1536, disk: 7600, "pcie"),
        type("g6.xlarge", "L4", 1, 24, vcpus: 4, memory: 16, disk: 250, nil),
        type("g6.2xlarge", "L4", 1, 24, vcpus: 8, memory: 32, disk: 450, nil),
        type("g6.4xlarge", "L4", 1, 24, vcpus: 16, memory: 64, disk: 600, nil),
        type("g6.8xlarge", "L4", 1, 24, vcpus: 32, memory: 128, disk: 900, nil),
        type("g6.16xlarge", "L4", 1, 24, vcpus: 64, memory: 256, disk: 1880, nil),
        type("g6.12xlarge", "L4", 4, 24, vcpus: 48, memory: 192, disk: 3760, "pcie"),
        type("g6.24xlarge", "L4", 4, 24, vcpus: 96, memory: 384, disk: 3760, "pcie"),
        type("g6.48xlarge", "L4", 8, 24, vcpus: 192, memory: 768, disk: 7520, "pcie"),
        type("g5.xlarge", "A10G", 1, 24, vcpus: 4, memory: 16, disk: 250, nil),
        type("g5.2xlarge", "A10G", 1, 24, vcpus: 8, memory: 32, disk: 450, nil),
        type("g5.4xlarge", "A10G", 1, 24, vcpus: 16, memory: 64, disk: 600, nil),
        type("g5.8xlarge", "A10G", 1, 24, vcpus: 32, memory: 128, disk: 900, nil),
        type("g5.16xlarge", "A10G", 1, 24, vcpus: 64, memory: 256, disk: 1900, nil),
        type("g5.12xlarge", "A10G", 4, 24, vcpus: 48, memory: 192, disk: 3800, "pcie"),
        type("g5.24xlarge", "A10G", 4, 24, vcpus: 96, memory: 384, disk: 3800, "pcie"),
        type("g5.48xlarge", "A10G", 8, 24, vcpus: 192, memory: 768, disk: 7600, "pcie"),
        type("g4dn.xlarge", "T4", 1, 16, vcpus: 4, memory: 16, disk: 125, nil),
        type("g4dn.2xlarge", "T4", 1, 16, vcpus: 8, memory: 32, disk: 225, nil),
        type("g4dn.4xlarge", "T4", 1, 16, vcpus: 16, memory: 64, disk: 225, nil),
        type("g4dn.8xlarge", "T4", 1, 16, vcpus: 32, memory: 128, disk: 900, nil),
        type("g4dn.16xlarge", "T4", 1, 16, vcpus: 64, memory: 256, disk: 900, nil),
        type("g4dn.12xlarge", "T4", 4, 16, vcpus: 48, memory: 192, disk: 900, "pcie"),
        type("g4dn.metal", "T4", 8, 16, vcpus: 96, memory: 384, disk: 1800, "pcie"),
        type("p2.xlarge", "K80", 1, 12, vcpus: 4, memory: 61, disk: 0, nil),
        type("p2.8xlarge", "K80", 8, 12, vcpus: 32, memory: 488, disk: 0, "pcie"),
        type("p2.16xlarge", "K80", 16, 12, vcpus: 64, memory: 732, disk: 0, "pcie"),
    ]

    /// ``gpuTypes`` by name.
    public static let gpuTypesByName: [String: AWSInstanceType] = Dictionary(
        uniqueKeysWithValues: gpuTypes.map { ($0.name, $0) })

    private static func type(
        _ name: String, _ gpu: String, _ count: Int, _ gpuMemory: Int, vcpus: Int, memory: Int, disk: Int,
        _ interconnect: String?
    ) -> AWSInstanceType {
        AWSInstanceType(
            name: name, gpuModel: gpu, gpuCount: count, gpuMemoryGB: gpuMemory, vcpus: vcpus, memoryGiB: memory,
            diskGB: disk, interconnect: interconnect)
    }
}
