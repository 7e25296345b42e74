import BrokerCore
import Foundation
import Testing

@Suite("market: auto: spot, on-demand or waiting, on the job's real progress")
struct AutoMarketChoiceTests {
    private static let submitted = Date(timeIntervalSince1970: 1_795_000_000)

    /// The first decision of a job's pilot (no history).
    private static func firstDecision(_ inputs: AutoMarketChoice.Inputs) -> AutoMarketChoice {
        var pilot: AutoMarketPilot?
        return AutoMarketChoice.decide(inputs, pilot: &pilot, history: { .empty })
    }

    /// 48 h of on-demand work due 60 h after submission, decided `hoursIn` hours after it.
    private func decide(
        hoursIn: Double, done: Double = 0, spot: Bool, onDemand: Bool = true, deadline: Double? = 60
    ) -> AutoMarketChoice {
        Self.firstDecision(
            AutoMarketChoice.Inputs(
                submittedAt: Self.submitted, deadline: deadline.map { Self.submitted.addingTimeInterval($0 * 3600) },
                now: Self.submitted.addingTimeInterval(hoursIn * 3600), onDemandHours: onDemand ? 48 * (1 - done) : nil,
                spotHours: spot ? 48 * (1 - done) : nil, spotAvailable: spot, doneFraction: done,
                restartOverhead: .seconds(720)))
    }

    @Test("without a deadline there is nothing to protect: the cheapest of both markets")
    func noDeadline() {
        #expect(decide(hoursIn: 0, spot: false, deadline: nil) == .cheapest)
        let noWork = Self.firstDecision(
            AutoMarketChoice.Inputs(
                submittedAt: Self.submitted, deadline: Self.submitted.addingTimeInterval(3600), now: Self.submitted,
                onDemandHours: nil, spotHours: nil, spotAvailable: true, doneFraction: 0,
                restartOverhead: .seconds(720)))
        #expect(noWork == .cheapest)
    }

    @Test("spot when it is there and the deadline is far")
    func spotWhenAvailable() {
        #expect(decide(hoursIn: 0, spot: true) == .spot)
    }

    @Test("no spot and plenty of slack: wait for it, in the same words on every pass")
    func waitWithSlack() throws {
        guard case .wait(let reason) = decide(hoursIn: 0, spot: false) else {
            Issue.record("expected to wait")
            return
        }
        #expect(reason.contains("waiting for it while the deadline 2026-11-20T"))
        #expect(decide(hoursIn: 0.1, spot: false) == .wait(reason: reason))
    }

    @Test("nodes that bill while the job waits (a gang's survivors) make on-demand the cheaper choice")
    func survivorsNeverWait() {
        let choice = Self.firstDecision(
            AutoMarketChoice.Inputs(
                submittedAt: Self.submitted, deadline: Self.submitted.addingTimeInterval(60 * 3600),
                now: Self.submitted, onDemandHours: 48, spotHours: nil, spotAvailable: false, doneFraction: 0,
                restartOverhead: .seconds(720), survivorsBilling: true))
        #expect(choice == .onDemand)
    }

    @Test("no spot and the slack down to its reserve: on-demand")
    func onDemandWhenSlackRunsOut() {
        // 4 h in, nothing done: 8 h of slack left, too little to spend more of it waiting.
        #expect(decide(hoursIn: 4, spot: false) == .onDemand)
        // The same moment with half the shards done: 32 h of slack, so waiting is still safe.
        guard case .wait = decide(hoursIn: 4, done: 0.5, spot: false) else {
            Issue.record("expected to wait with half the work done")
            return
        }
    }

    @Test("with no time to lose, on-demand even when spot is there; spot only if no on-demand gang fits")
    func mustRunOnDemand() {
        // 11.8 h in: 48.2 h left for 48 h of work and a 0.2 h restart.
        #expect(decide(hoursIn: 11.8, spot: true) == .onDemand)
        #expect(decide(hoursIn: 11.8, spot: true, onDemand: false) == .spot)
        // Nothing fits at all: nothing to estimate from, and quoting both markets finds nothing.
        #expect(decide(hoursIn: 11.8, spot: false, onDemand: false) == .cheapest)
    }

    @Test("a deadline decades away is decided, not a crash")
    func farDeadline() {
        // 2090: seconds left × slack × 3 is past Int64.max.
        #expect(decide(hoursIn: 0, spot: false, deadline: 560_000) != .onDemand)
        #expect(decide(hoursIn: 0, spot: true, deadline: 560_000) == .spot)
    }

    @Test("only an auto job with a deadline and work has anything to decide")
    func applies() throws {
        var spec = JobSpec(
            name: "j", resources: JobSpec.Resources(gpu: ["H100-SXM"], gpusPerNode: 8, nodes: 1), image: "i",
            command: ["c"])
        #expect(!AutoMarketChoice.applies(to: spec))
        spec.deadline = Self.submitted
        #expect(!AutoMarketChoice.applies(to: spec))
        spec.work = JobSpec.Work(gpuHours: 1, referenceGPU: try #require(GPUCatalog.standard.model(named: "A100-80GB")))
        #expect(AutoMarketChoice.applies(to: spec))
        spec.market = .spot
        #expect(!AutoMarketChoice.applies(to: spec))
    }

    @Test("narrowing sets the market, or gives nothing to place when waiting")
    func narrowing() {
        let spec = JobSpec(
            name: "j", resources: JobSpec.Resources(gpu: ["H100-SXM"], gpusPerNode: 8, nodes: 1), image: "i",
            command: ["c"])
        #expect(AutoMarketChoice.spot.narrowing(spec)?.market == .spot)
        #expect(AutoMarketChoice.onDemand.narrowing(spec)?.market == .onDemand)
        #expect(AutoMarketChoice.cheapest.narrowing(spec)?.market == .auto)
        #expect(AutoMarketChoice.wait(reason: "x").narrowing(spec) == nil)
    }
}
