extension GPUCatalog {
    /// The GPU models sold by the clouds the broker knows, with the spellings their APIs use.
    ///
    /// Relative speeds are peak dense BF16 tensor TFLOPS divided by the A100's 312 (see
    /// ``GPUModel/relativeSpeed``): B200 2250, H100/H200/GH200 989, H100 NVL 835, H100 PCIe 756,
    /// MI300X 1307, MI250X 383, MI250 362, MI210 181, L40S 362, L40 181, L4 121, A40 150, A10 125,
    /// A10G 70, RTX A6000 155, RTX A5000 111, RTX A4000 77, RTX 6000 Ada 364, RTX 5090 209,
    /// RTX 4090 165, RTX 3090 71, RTX 3080 60, V100 125 (FP16), T4 65 (FP16), K80 4.4 (FP32, no
    /// tensor cores).
    public static let standard = GPUCatalog(models: [
        gpu("B200", family: "B200", memoryGB: 180, speed: 7.21, ["B200 SXM", "B200 SXM6", "B200 180GB", "HGX B200"]),
        gpu(
            "H200", family: "H200", memoryGB: 141, speed: 3.17,
            ["H200 SXM", "H200 SXM5", "H200 141GB HBM3e", "HGX H200"]),
        gpu(
            "H100-SXM", family: "H100", memoryGB: 80, speed: 3.17,
            [
                "H100 SXM5", "H100 80GB HBM3", "H100 SXM5 80GB", "H100 80GB SXM5", "H100 SXM 80GB", "HGX H100",
                "H100 80GB",
            ]
        ),
        gpu("H100-PCIE", family: "H100", memoryGB: 80, speed: 2.42, ["H100 PCIe 80GB", "H100 80GB PCIe", "H100 80GB"]),
        gpu("H100-NVL", family: "H100", memoryGB: 94, speed: 2.68, ["H100 NVL 94GB", "H100 94GB"]),
        gpu("GH200", family: "GH200", memoryGB: 96, speed: 3.17, ["GH200 480GB", "GH200 96GB", "GH200 Superchip"]),
        gpu(
            "A100-80GB", family: "A100", memoryGB: 80, speed: 1.0,
            [
                "A100 SXM4 80GB", "A100 80GB SXM4", "A100 80GB PCIe", "A100 PCIe 80GB", "A100 80G", "A100X",
                "A100 SXM4", "A100 SXM", "A100 PCIe",
            ]
        ),
        gpu(
            "A100-40GB", family: "A100", memoryGB: 40, speed: 1.0,
            [
                "A100 SXM4 40GB", "A100 40GB SXM4", "A100 40GB PCIe", "A100 PCIe 40GB", "A100 40G",
                "A100 SXM4", "A100 SXM", "A100 PCIe",
            ]
        ),
        gpu("L40S", family: "L40S", memoryGB: 48, speed: 1.16, ["L40S 48GB"]),
        gpu("L40", family: "L40", memoryGB: 48, speed: 0.58, ["L40 48GB"]),
        gpu("L4", family: "L4", memoryGB: 24, speed: 0.39, ["L4 24GB"]),
        gpu("A40", family: "A40", memoryGB: 48, speed: 0.48, ["A40 48GB"]),
        gpu("A10G", family: "A10G", memoryGB: 24, speed: 0.22, ["A10G 24GB"]),
        gpu("A10", family: "A10", memoryGB: 24, speed: 0.40, ["A10 24GB", "A10 PCIe"]),
        gpu("RTXA6000", family: "RTXA6000", memoryGB: 48, speed: 0.50, ["A6000", "RTX A6000 48GB"]),
        gpu("RTXA5000", family: "RTXA5000", memoryGB: 24, speed: 0.36, ["A5000", "RTX A5000 24GB"]),
        gpu("RTXA4000", family: "RTXA4000", memoryGB: 16, speed: 0.25, ["A4000", "RTX A4000 16GB"]),
        gpu("RTX6000Ada", family: "RTX6000Ada", memoryGB: 48, speed: 1.17, ["RTX 6000 Ada Generation", "6000 Ada"]),
        gpu("RTX5090", family: "RTX5090", memoryGB: 32, speed: 0.67, ["RTX 5090 32GB"]),
        gpu("RTX4090", family: "RTX4090", memoryGB: 24, speed: 0.53, ["RTX 4090 24GB"]),
        gpu("RTX3090", family: "RTX3090", memoryGB: 24, speed: 0.23, ["RTX 3090 24GB"]),
        gpu("RTX3080", family: "RTX3080", memoryGB: 10, speed: 0.19, ["RTX 3080 10GB"]),
        gpu(
            "V100", family: "V100", memoryGB: 16, speed: 0.40,
            ["V100 SXM2 16GB", "V100 PCIe 16GB", "V100 FHHL 16GB", "V100 16GB", "V100 SXM2", "V100 PCIe"]
        ),
        gpu(
            "V100-32GB", family: "V100", memoryGB: 32, speed: 0.40,
            ["V100 SXM2 32GB", "V100 PCIe 32GB", "V100S", "V100S PCIe 32GB", "V100 SXM2", "V100 PCIe"]
        ),
        gpu("T4", family: "T4", memoryGB: 16, speed: 0.21, ["T4 16GB"]),
        gpu("K80", family: "K80", memoryGB: 12, speed: 0.014, []),
        gpu("MI300X", family: "MI300X", vendor: .amd, memoryGB: 192, speed: 4.19, ["MI300X OAM", "MI300X 192GB"]),
        gpu("MI250X", family: "MI250X", vendor: .amd, memoryGB: 128, speed: 1.23, ["MI250X OAM"]),
        gpu("MI250", family: "MI250", vendor: .amd, memoryGB: 128, speed: 1.16, ["MI250 OAM"]),
        gpu("MI210", family: "MI210", vendor: .amd, memoryGB: 64, speed: 0.58, ["MI210 64GB"]),
    ])

    private static func gpu(
        _ name: String, family: String, vendor: GPUVendor = .nvidia, memoryGB: Int, speed: Double,
        _ aliases: [String]
    ) -> GPUModel {
        GPUModel(name: name, family: family, vendor: vendor, memoryGB: memoryGB, relativeSpeed: speed, aliases: aliases)
    }
}
