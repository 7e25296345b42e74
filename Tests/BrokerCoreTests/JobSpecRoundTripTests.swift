import BrokerCore
import Foundation
import Testing

@Suite("Job spec encoding")
struct JobSpecRoundTripTests {
    static func roundTrip(_ spec: JobSpec) throws -> (JobSpec, String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(spec)
        return (try JobSpec.decode(json: data, now: JobSpecFixtures.now), String(decoding: data, as: UTF8.self))
    }

    @Test("the design's example survives encode and decode")
    func example() throws {
        let spec = try JobSpecFixtures.decode(JobSpecFixtures.example)
        let (decoded, json) = try Self.roundTrip(spec)
        #expect(decoded == spec)
        #expect(json.contains(#""max_price_per_hour":40"#))
        #expect(json.contains(#""budget_usd":900"#))
        #expect(json.contains(#""deadline":"2026-12-04T18:00:00Z""#))
        #expect(json.contains(#""gpus_per_node":8"#))
        #expect(json.contains(#""reference_gpu":"A100-80GB""#))
        #expect(json.contains(#""market":"auto""#))
    }

    @Test("odd amounts, fractional deadlines and every option survive encode and decode")
    func everything() throws {
        let spec = JobSpec(
            name: "edge \"cases\" ✓",
            resources: JobSpec.Resources(
                gpu: ["a100", "RTX 4090"], gpusPerNode: 1, nodes: 1024, minGPUMemoryGB: 0, minVCPUs: 1,
                minMemoryGB: 2, minDiskGB: 3, interconnect: .infiniband),
            placement: JobSpec.Placement(countries: ["JP"], excludeProviders: ["vast", "aws"], sameRegion: false),
            market: .onDemand,
            maxPricePerHour: Money(microdollars: 1),
            budget: Money(microdollars: 123_456_789_012_345),
            deadline: Date(timeIntervalSince1970: 1_796_407_200.123456),
            work: JobSpec.Work(gpuHours: 0.1, referenceGPU: try #require(GPUCatalog.standard.model(named: "H100-NVL"))),
            dataset: JobSpec.Dataset(uri: "gs://b/d", shards: 10_000_000),
            checkpoint: JobSpec.Checkpoint(uri: "file:///ckpt", intervalMinutes: 1),
            image: "img",
            command: ["a", "", "ü"],
            env: ["A": "", "B_2": "x=y"])
        let (decoded, json) = try Self.roundTrip(spec)
        #expect(decoded == spec)
        #expect(json.contains(#""max_price_per_hour":0.000001"#))
        #expect(json.contains(#""budget_usd":123456789.012345"#))
        #expect(json.contains(#""market":"on_demand""#))
    }

    @Test("absent optionals are left out and defaults are written")
    func minimal() throws {
        let (decoded, json) = try Self.roundTrip(try JobSpecFixtures.decode(JobSpecFixtures.spec()))
        #expect(!json.contains("deadline"))
        #expect(!json.contains("budget_usd"))
        #expect(json.contains(#""same_region":true"#))
        #expect(decoded.name == "tiny")
    }
}
