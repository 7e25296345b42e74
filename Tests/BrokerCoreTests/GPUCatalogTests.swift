import BrokerCore
import Testing

@Suite("GPU catalog")
struct GPUCatalogTests {
    let catalog = GPUCatalog.standard

    static let canonicalNames = [
        "B200", "H200", "H100-SXM", "H100-PCIE", "H100-NVL", "GH200", "A100-80GB", "A100-40GB", "L40S", "L40", "L4",
        "A40", "A10G", "A10", "RTXA6000", "RTXA5000", "RTX6000Ada", "RTX4090", "RTX3090", "V100", "V100-32GB", "T4",
        "K80", "MI300X", "MI250X", "MI250", "MI210",
    ]

    @Test("holds every canonical model the design and the bench catalog name", arguments: canonicalNames)
    func canonical(name: String) throws {
        let model = try #require(catalog.model(named: name))
        #expect(model.name == name)
        #expect(model.memoryGB > 0)
        #expect(model.relativeSpeed > 0)
    }

    @Test("canonical names are unique and the A100-80GB is the speed reference")
    func shape() throws {
        #expect(catalog.models.count >= 27)
        #expect(Set(catalog.models.map(\.name)).count == catalog.models.count)
        #expect(try #require(catalog.model(named: "A100-80GB")).relativeSpeed == 1.0)
        let h100 = try #require(catalog.model(named: "H100-SXM"))
        #expect(h100.relativeSpeed > 2.5 && h100.relativeSpeed < 3.5)
        #expect(try #require(catalog.model(named: "MI300X")).vendor == .amd)
    }

    @Test(
        "resolves providers' spellings",
        arguments: [
            // generic and Vast.ai
            ("H100 SXM", "H100-SXM"), ("H100-SXM5", "H100-SXM"), ("h100_sxm5", "H100-SXM"),
            ("H100 PCIe", "H100-PCIE"), ("H100-PCIe", "H100-PCIE"), ("H100 NVL", "H100-NVL"),
            ("A100 SXM4", "A100-80GB"), ("A100-SXM4-80GB", "A100-80GB"), ("A100 80GB PCIe", "A100-80GB"),
            ("A100_PCIE_40GB", "A100-40GB"), ("A100-SXM4-40GB", "A100-40GB"), ("A100 PCIE", "A100-80GB"),
            ("RTX 4090", "RTX4090"), ("GeForce RTX 4090", "RTX4090"), ("RTX 3090", "RTX3090"),
            ("RTX A6000", "RTXA6000"), ("RTX A5000", "RTXA5000"), ("RTX 6000 Ada", "RTX6000Ada"),
            ("Tesla V100", "V100"), ("V100-SXM2-16GB", "V100"), ("Tesla T4", "T4"), ("Tesla K80", "K80"),
            ("MI300X", "MI300X"), ("AMD Instinct MI300X", "MI300X"), ("Instinct MI250X", "MI250X"),
            ("A10G", "A10G"), ("NVIDIA A10", "A10"), ("L40S", "L40S"), ("NVIDIA L4", "L4"), ("A40", "A40"),
            ("nvidia-h200", "H200"), ("B200", "B200"),
            // RunPod gpuTypes ids
            ("NVIDIA GeForce RTX 4090", "RTX4090"), ("NVIDIA H100 80GB HBM3", "H100-SXM"),
            ("NVIDIA A100-SXM4-80GB", "A100-80GB"), ("NVIDIA A100 80GB PCIe", "A100-80GB"),
            ("NVIDIA RTX A6000", "RTXA6000"), ("NVIDIA RTX 6000 Ada Generation", "RTX6000Ada"),
            ("NVIDIA H100 PCIe", "H100-PCIE"), ("NVIDIA H100 NVL", "H100-NVL"), ("AMD Instinct MI300X OAM", "MI300X"),
            ("Tesla V100-SXM2-32GB", "V100-32GB"), ("Tesla V100-PCIE-16GB", "V100"),
            // Lambda instance-type fragments
            ("h100_sxm5", "H100-SXM"), ("a100_80gb_sxm4", "A100-80GB"), ("gh200", "GH200"), ("h100_pcie", "H100-PCIE"),
            ("a6000", "RTXA6000"), ("a10", "A10"), ("b200_sxm6", "B200"),
            // Shadeform gpu_type
            ("A100_80G", "A100-80GB"), ("H100", "H100-SXM"), ("A6000", "RTXA6000"),
            // the bench catalog's spelling
            ("H100-PCIe", "H100-PCIE"),
        ]
    )
    func alias(raw: String, canonical: String) {
        #expect(catalog.model(named: raw)?.name == canonical)
    }

    @Test(
        "chooses between models a name does not separate by the memory the provider reports",
        arguments: [
            ("A100 SXM4", 40, "A100-40GB"), ("A100 SXM4", 80, "A100-80GB"), ("A100 PCIE", 39, "A100-40GB"),
            ("A100", 40, "A100-40GB"), ("Tesla V100", 32, "V100-32GB"), ("Tesla V100", 16, "V100"),
            ("H100", 94, "H100-NVL"), ("H100", 80, "H100-SXM"),
            ("A100-SXM4-80GB", 40, "A100-80GB"),  // the name is explicit: memory is not consulted
            ("RTX 4090", 48, "RTX4090"),
        ] as [(String, Int, String)]
    )
    func memoryHint(raw: String, memoryGB: Int, canonical: String) {
        #expect(catalog.model(named: raw, memoryGB: memoryGB)?.name == canonical)
    }

    @Test(
        "unknown names resolve to nil",
        arguments: ["", "H1000", "RTX 5090 Ti", "Quadro RTX 6000", "RTX 6000", "A100 120GB", "NVIDIA", "Gaudi2"]
    )
    func unknown(raw: String) {
        #expect(catalog.model(named: raw) == nil)
    }

    @Test(
        "a family or an ambiguous name matches all its models; anything else just itself",
        arguments: [
            ("H100", ["H100-SXM", "H100-PCIE", "H100-NVL"]),
            ("h100", ["H100-SXM", "H100-PCIE", "H100-NVL"]),
            ("NVIDIA H100", ["H100-SXM", "H100-PCIE", "H100-NVL"]),
            ("A100", ["A100-80GB", "A100-40GB"]),
            ("V100", ["V100", "V100-32GB"]),
            ("A100 SXM4", ["A100-80GB", "A100-40GB"]),
            ("H100-SXM", ["H100-SXM"]),
            ("A100-80GB", ["A100-80GB"]),
            ("V100-32GB", ["V100-32GB"]),
            ("L40", ["L40"]),
            ("A10", ["A10"]),
            ("MI250", ["MI250"]),
            ("H1000", []),
        ]
    )
    func matching(query: String, expected: [String]) {
        #expect(catalog.models(matching: query).map(\.name) == expected)
    }

    @Test("a custom catalog resolves only its own models")
    func custom() {
        let catalog = GPUCatalog(models: [
            GPUModel(name: "X1", family: "X", vendor: .nvidia, memoryGB: 10, relativeSpeed: 1, aliases: ["Xtreme One"])
        ])
        #expect(catalog.model(named: "xtreme-one")?.name == "X1")
        #expect(catalog.models(matching: "X").map(\.name) == ["X1"])
        #expect(catalog.model(named: "H100") == nil)
    }
}
