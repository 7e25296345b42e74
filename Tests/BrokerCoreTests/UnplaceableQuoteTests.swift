import BrokerCore
import Foundation
import Testing

@Suite("A quote that found nowhere to launch, kept between passes")
struct UnplaceableQuoteTests {
    let now = MatchingFixtures.now
    let spec = JobSpec(
        name: "train", resources: JobSpec.Resources(gpu: ["H100-SXM"], gpusPerNode: 8, nodes: 1), market: .onDemand,
        maxPricePerHour: Money(dollars: 1), image: "img", command: ["train"])

    @Test("it holds for the same spec on the same book with the same blocks, and for nothing else")
    func holdsOnlyWhileNothingChanged() throws {
        var blocks = CapacityBlocklist(durations: .init(offer: .seconds(60)))
        blocks.block(.offer, of: MatchingFixtures.offer("vast:1", dollars: 10, region: "r1"), now: now)
        let known = try #require(UnplaceableQuote(spec: spec, marketVersion: 7, blocks: blocks, reason: "too dear"))
        #expect(known.holds(for: spec, marketVersion: 7, blocks: blocks))
        #expect(!known.holds(for: spec, marketVersion: 8, blocks: blocks))

        var expired = blocks
        expired.prune(now: now.addingTimeInterval(60))
        #expect(!known.holds(for: spec, marketVersion: 7, blocks: expired))

        var narrowed = spec
        narrowed.market = .spot
        #expect(!known.holds(for: narrowed, marketVersion: 7, blocks: blocks))
    }

    @Test("a job with a deadline is quoted again at every pass: its answer changes with the time left")
    func notKeptWithADeadline() {
        var spec = spec
        spec.deadline = now.addingTimeInterval(86_400)
        #expect(UnplaceableQuote(spec: spec, marketVersion: 1, blocks: CapacityBlocklist(), reason: "slow") == nil)
    }
}
