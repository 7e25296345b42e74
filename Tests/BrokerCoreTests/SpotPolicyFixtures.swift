@testable import BrokerCore

/// Small traces and jobs for the spot policy tests: 10-minute ticks, the paper's 0.2 h overhead.
enum SpotPolicyFixtures {
    static let tick: Int64 = 600
    static let hour: Int64 = 3600

    static func trace(_ pattern: String) -> SpotTrace {
        SpotTrace(tickSeconds: tick, available: pattern.map { $0 == "1" })
    }

    static func job(workHours: Int64, deadlineHours: Int64) -> SpotJob {
        SpotJob(workSeconds: workHours * hour, deadlineSeconds: deadlineHours * hour)
    }

    /// The deadline-safe policies under test (all but the on-demand baseline, which is trivially safe).
    static func policies(for job: SpotJob, trace: SpotTrace, start: Int) -> [any SpotPolicy] {
        [
            OnDemandOnlyPolicy(), UniformProgressPolicy(), GridbrokerSpotPolicy(job: job, history: .empty),
            OmniscientPolicy(planner: OmniscientPlanner(trace: trace, job: job), start: start),
        ]
    }
}

/// Deliberately naive: spot when available, otherwise wait, whatever the deadline.
struct SpotOnlyPolicy: SpotPolicy {
    var name: String { "spot-only" }

    func decide(_ state: SpotPolicyState) -> SpotDecision {
        state.spotAvailable ? .spot : .wait
    }
}

/// A small deterministic generator for the property tests.
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
