import BrokerCore
import Foundation

/// Job specs shared by the job spec tests.
enum JobSpecFixtures {
    /// 2026-11-21T20:00:00Z, "now" for every decode in the tests.
    static let now = Date(timeIntervalSince1970: 1_795_291_200)

    /// The example spec from DESIGN.md.
    static let example = """
        {
          "name": "llama-8b-lora",
          "resources": {"gpu": ["H100", "A100-80GB"], "gpus_per_node": 8, "nodes": 2,
                        "min_gpu_memory_gb": 80, "min_vcpus": 32, "min_memory_gb": 256, "min_disk_gb": 500,
                        "interconnect": "nvlink"},
          "placement": {"countries": ["DE", "FR", "NL"], "exclude_providers": [], "same_region": true},
          "market": "auto",
          "max_price_per_hour": 40.0,
          "budget_usd": 900,
          "deadline": "2026-12-04T18:00:00Z",
          "work": {"gpu_hours": 256, "reference_gpu": "A100-80GB"},
          "dataset": {"uri": "s3://team-data/corpus", "shards": 512},
          "checkpoint": {"uri": "s3://team-ckpt/run-7", "interval_minutes": 15},
          "image": "nvcr.io/nvidia/pytorch:24.05-py3",
          "command": ["torchrun", "train.py"],
          "env": {"WANDB_PROJECT": "lora"}
        }
        """

    /// The smallest valid spec, as top-level members, in order.
    static let minimal: [(key: String, json: String)] = [
        ("name", #""tiny""#),
        ("resources", #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 2}"#),
        ("image", #""pytorch:24.05""#),
        ("command", #"["python", "train.py"]"#),
    ]

    /// The minimal spec with members replaced or added (`json` set) or removed (`json` nil).
    static func spec(_ changes: [String: String?] = [:]) -> String {
        var members = minimal.map { member in (member.key, changes[member.key] ?? member.json) }
        for (key, json) in changes.sorted(by: { $0.key < $1.key }) where !minimal.contains(where: { $0.key == key }) {
            members.append((key, json))
        }
        return "{" + members.compactMap { key, json in json.map { "\"\(key)\": \($0)" } }.joined(separator: ", ") + "}"
    }

    static func decode(_ json: String) throws(JobSpecError) -> JobSpec {
        try JobSpec.decode(json: Array(json.utf8), now: now)
    }

    /// The problems decoding `json` reports; empty if it decodes.
    static func problems(_ json: String) -> [FieldError] {
        do {
            _ = try decode(json)
            return []
        } catch {
            return error.errors
        }
    }
}
