import BrokerCore
import Foundation
import Testing

@Suite("Job spec decoding")
struct JobSpecDecodingTests {
    @Test("the design's example decodes with every value")
    func example() throws {
        let spec = try JobSpecFixtures.decode(JobSpecFixtures.example)
        #expect(spec.name == "llama-8b-lora")
        #expect(
            spec.resources
                == JobSpec.Resources(
                    gpu: ["H100", "A100-80GB"], gpusPerNode: 8, nodes: 2, minGPUMemoryGB: 80, minVCPUs: 32,
                    minMemoryGB: 256, minDiskGB: 500, interconnect: .nvlink))
        #expect(
            spec.placement == JobSpec.Placement(countries: ["DE", "FR", "NL"], excludeProviders: [], sameRegion: true))
        #expect(spec.market == .auto)
        #expect(spec.maxPricePerHour == Money(cents: 4000))
        #expect(spec.budget == Money(cents: 90_000))
        #expect(spec.deadline == Date(timeIntervalSince1970: 1_796_407_200))
        #expect(spec.work?.gpuHours == 256)
        #expect(spec.work?.referenceGPU.name == "A100-80GB")
        #expect(spec.dataset == JobSpec.Dataset(uri: "s3://team-data/corpus", shards: 512))
        #expect(spec.checkpoint == JobSpec.Checkpoint(uri: "s3://team-ckpt/run-7", intervalMinutes: 15))
        #expect(spec.image == "nvcr.io/nvidia/pytorch:24.05-py3")
        #expect(spec.command == ["torchrun", "train.py"])
        #expect(spec.env == ["WANDB_PROJECT": "lora"])
        #expect(
            spec.resources.acceptedModels().map(\.name) == ["H100-SXM", "H100-PCIE", "H100-NVL", "A100-80GB"])
    }

    @Test("a minimal spec gets the documented defaults")
    func defaults() throws {
        let spec = try JobSpecFixtures.decode(JobSpecFixtures.spec())
        #expect(spec.placement == JobSpec.Placement(countries: [], excludeProviders: [], sameRegion: true))
        #expect(spec.market == .auto)
        #expect(spec.maxPricePerHour == nil)
        #expect(spec.budget == nil)
        #expect(spec.deadline == nil)
        #expect(spec.work == nil)
        #expect(spec.env == [:])
        #expect(spec.resources.interconnect == nil)
    }

    @Test("null optional fields count as absent")
    func nullOptionals() throws {
        let spec = try JobSpecFixtures.decode(
            JobSpecFixtures.spec(["market": "null", "deadline": "null", "env": "null", "budget_usd": "null"]))
        #expect(spec.market == .auto)
        #expect(spec.deadline == nil)
        #expect(spec.budget == nil)
    }

    @Test("nested defaults: reference GPU and checkpoint interval")
    func nestedDefaults() throws {
        let spec = try JobSpecFixtures.decode(
            JobSpecFixtures.spec([
                "work": #"{"gpu_hours": 12.5}"#, "checkpoint": #"{"uri": "s3://c"}"#,
                "placement": #"{"same_region": false}"#,
            ]))
        #expect(spec.work?.gpuHours == 12.5)
        #expect(spec.work?.referenceGPU.name == "A100-80GB")
        #expect(spec.checkpoint?.intervalMinutes == 15)
        #expect(spec.placement.sameRegion == false)
    }

    @Test("money is read exactly from its decimal digits")
    func exactMoney() throws {
        let spec = try JobSpecFixtures.decode(
            JobSpecFixtures.spec(["max_price_per_hour": "0.1", "budget_usd": "123456789.123456"]))
        #expect(spec.maxPricePerHour == Money(microdollars: 100_000))
        #expect(spec.budget == Money(microdollars: 123_456_789_123_456))
    }

    @Test(
        "deadlines accept offsets, fractions and lowercase separators",
        arguments: [
            ("2026-12-04T18:00:00Z", 1_796_407_200.0),
            ("2026-12-04T19:30:00+01:30", 1_796_407_200),
            ("2026-12-04T13:00:00-05:00", 1_796_407_200),
            ("2026-12-04t18:00:00z", 1_796_407_200),
            ("2026-12-04T18:00:00.5Z", 1_796_407_200.5),
            ("2026-12-04T18:00:00.250000000001Z", 1_796_407_200.25),
            ("2028-02-29T00:00:00Z", 1_835_395_200),
        ] as [(String, Double)]
    )
    func deadline(text: String, unixTime: Double) throws {
        let spec = try JobSpecFixtures.decode(JobSpecFixtures.spec(["deadline": "\"\(text)\""]))
        #expect(spec.deadline == Date(timeIntervalSince1970: unixTime))
    }

    @Test("lowercase country codes are uppercased")
    func countries() throws {
        let spec = try JobSpecFixtures.decode(JobSpecFixtures.spec(["placement": #"{"countries": ["de", "Fr"]}"#]))
        #expect(spec.placement.countries == ["DE", "FR"])
    }

    @Test("whole numbers written with a fraction or exponent are integers")
    func wholeNumbers() throws {
        let spec = try JobSpecFixtures.decode(
            JobSpecFixtures.spec(["resources": #"{"gpu": ["L4"], "gpus_per_node": 8.0, "nodes": 1e1}"#]))
        #expect(spec.resources.gpusPerNode == 8)
        #expect(spec.resources.nodes == 10)
    }

    @Test("JSON strings are unescaped, including surrogate pairs")
    func escapes() throws {
        let spec = try JobSpecFixtures.decode(
            JobSpecFixtures.spec(["command": #"["tab\there \"q\" \u00e9 \ud83d\ude80 \/"]"#]))
        #expect(spec.command == ["tab\there \"q\" é 🚀 /"])
    }

    @Test("decodes from Data as well as bytes")
    func data() throws {
        let spec = try JobSpec.decode(json: Data(JobSpecFixtures.example.utf8), now: JobSpecFixtures.now)
        #expect(spec.name == "llama-8b-lora")
    }

    @Test("a custom catalog decides which GPUs are known")
    func customCatalog() {
        let catalog = GPUCatalog(models: [
            GPUModel(name: "A100-80GB", family: "A100", vendor: .nvidia, memoryGB: 80, relativeSpeed: 1)
        ])
        let json = JobSpecFixtures.spec(["resources": #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 2}"#])
        #expect(throws: JobSpecError.self) {
            try JobSpec.decode(json: Array(json.utf8), catalog: catalog, now: JobSpecFixtures.now)
        }
    }
}
