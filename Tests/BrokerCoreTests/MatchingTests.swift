import BrokerCore
import Foundation
import Testing

@Suite("Placement matching: constraints, gangs, ranking and reasons")
struct MatchingTests {
    private typealias F = MatchingFixtures
    private let planner = PlacementPlanner()

    private func ids(_ quote: Quote) -> [[String]] {
        quote.placements.map { $0.nodes.map(\.offer.id.description) }
    }

    /// One per-node requirement: the spec change, an offer it rules out, and the reason's words.
    struct ConstraintCase: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: @Sendable (inout JobSpec) -> Void
        var ruledOut: @Sendable () -> Offer
        var reason: String
        var testDescription: String { name }
    }

    static let constraintCases: [ConstraintCase] = [
        ConstraintCase(
            name: "GPU model (a family)", spec: { $0.resources.gpu = ["H100"] },
            ruledOut: { F.offer("x:1", gpu: "A100-80GB", dollars: 1) },
            reason: "no offer fits: of 1 offers, 0 are H100-SXM/H100-PCIE/H100-NVL"),
        ConstraintCase(
            name: "GPUs per node, exactly", spec: { $0.resources.gpusPerNode = 8 },
            ruledOut: { F.offer("x:1", gpus: 16, dollars: 1) }, reason: "1 are H100-SXM, 0 have 8 GPUs"),
        ConstraintCase(
            name: "GPU memory", spec: { $0.resources.minGPUMemoryGB = 80 },
            ruledOut: { F.offer("x:1", dollars: 1, gpuMemoryGB: 40) }, reason: "0 have at least 80 GB per GPU"),
        ConstraintCase(
            name: "vCPUs", spec: { $0.resources.minVCPUs = 64 }, ruledOut: { F.offer("x:1", dollars: 1, vcpus: 32) },
            reason: "0 have at least 64 vCPUs"),
        ConstraintCase(
            name: "memory", spec: { $0.resources.minMemoryGB = 512 },
            ruledOut: { F.offer("x:1", dollars: 1, memoryGB: 256) }, reason: "0 have at least 512 GB of memory"),
        ConstraintCase(
            name: "disk", spec: { $0.resources.minDiskGB = 1000 },
            ruledOut: { F.offer("x:1", dollars: 1, diskGB: 500) },
            reason: "0 have at least 1000 GB of disk"),
        ConstraintCase(
            name: "interconnect", spec: { $0.resources.interconnect = .nvlink },
            ruledOut: { F.offer("x:1", dollars: 1, interconnect: "pcie") }, reason: "0 have nvlink interconnect"),
        ConstraintCase(
            name: "unknown interconnect", spec: { $0.resources.interconnect = .infiniband },
            ruledOut: { F.offer("x:1", dollars: 1, interconnect: nil) }, reason: "0 have infiniband interconnect"),
        ConstraintCase(
            name: "country", spec: { $0.placement.countries = ["DE", "FR"] },
            ruledOut: { F.offer("x:1", dollars: 1, country: "US") }, reason: "0 are in DE, FR"),
        ConstraintCase(
            name: "unknown country", spec: { $0.placement.countries = ["US"] },
            ruledOut: { F.offer("x:1", dollars: 1, country: nil) }, reason: "0 are in US"),
        ConstraintCase(
            name: "excluded provider", spec: { $0.placement.excludeProviders = ["x"] },
            ruledOut: { F.offer("x:1", dollars: 1) }, reason: "0 are not from x"),
        ConstraintCase(
            name: "market", spec: { $0.market = .spot }, ruledOut: { F.offer("x:1", dollars: 1, market: .onDemand) },
            reason: "0 are on the spot market"),
        ConstraintCase(
            name: "nothing available", spec: { _ in }, ruledOut: { F.offer("x:1", dollars: 1, available: 0) },
            reason: "0 are available"),
    ]

    @Test(arguments: constraintCases)
    func eachPerNodeRequirementRulesOffersOut(_ testCase: ConstraintCase) {
        let spec = F.spec(testCase.spec)
        // An offer that meets the requirement still fits (as "good:1", dearer than the ruled-out one).
        let good = F.offer(
            "good:1", dollars: 9, market: spec.market == .spot ? .spot : .onDemand,
            country: spec.placement.countries.first ?? "US",
            interconnect: spec.resources.interconnect?.rawValue.uppercased() ?? "NVLink")
        let mixed = planner.quote(spec, offers: [testCase.ruledOut(), good], now: F.now)
        #expect(ids(mixed) == [["good:1"]])
        #expect(mixed.reason == nil)

        let none = planner.quote(spec, offers: [testCase.ruledOut()], now: F.now)
        #expect(none.placements.isEmpty)
        #expect(none.reason?.contains(testCase.reason) == true, "\(none.reason ?? "nil")")
    }

    @Test func excludedOffersAreLeftOutOfABookQuote() {
        let book = OfferBook(offers: [
            F.offer("a:1", dollars: 1), F.offer("a:2", dollars: 2), F.offer("b:1", dollars: 3),
        ])
        let quote = planner.quote(F.spec(), book: book, now: F.now, limit: 5) { $0.id.native == "1" }
        #expect(ids(quote) == [["a:2"]])
    }

    @Test func interconnectIsComparedIgnoringCase() {
        let spec = F.spec { $0.resources.interconnect = .infiniband }
        let quote = planner.quote(spec, offers: [F.offer("a:1", dollars: 1, interconnect: "InfiniBand")], now: F.now)
        #expect(ids(quote) == [["a:1"]])
    }

    @Test func anOfferWithTwoAvailableSuppliesTwoNodes() {
        let spec = F.spec { $0.resources.nodes = 2 }
        let quote = planner.quote(
            spec, offers: [F.offer("a:1", dollars: 10, available: 2), F.offer("a:2", dollars: 11)], now: F.now)
        #expect(ids(quote) == [["a:1", "a:1"]])
        #expect(quote.placements.first?.nodes.map(\.rank) == [0, 1])
        #expect(quote.placements.first?.pricePerHour == Money(dollars: 20))

        let short = planner.quote(
            F.spec { $0.resources.nodes = 3 }, offers: [F.offer("a:1", dollars: 10, available: 2)], now: F.now)
        #expect(short.placements.isEmpty)
        #expect(
            short.reason
                == "no placement fits: 1 H100-SXM offers with 8 GPUs meet every per-node requirement, but not enough "
                + "capacity for 3 nodes in one provider region and market (at most 2)")
    }

    @Test func sameRegionKeepsAGangInOneProviderRegion() {
        let offers = [
            F.offer("a:1", dollars: 10, region: "r1"), F.offer("a:2", dollars: 12, region: "r2"),
            F.offer("b:1", dollars: 11, region: "r1"),
        ]
        let together = planner.quote(F.spec { $0.resources.nodes = 2 }, offers: offers, now: F.now)
        #expect(together.placements.isEmpty)
        #expect(
            together.reason?.hasSuffix("not enough capacity for 2 nodes in one provider region and market (at most 1)")
                == true)

        let spread = planner.quote(
            F.spec {
                $0.resources.nodes = 2
                $0.placement.sameRegion = false
            }, offers: offers, now: F.now)
        #expect(ids(spread) == [["a:1", "b:1"]])
        #expect(spread.placements.first?.pricePerHour == Money(dollars: 21))
    }

    @Test func eachRegionOffersItsCheapestGangOnce() {
        let offers = [
            F.offer("a:1", dollars: 10, region: "r1"), F.offer("a:2", dollars: 30, region: "r1"),
            F.offer("a:3", dollars: 31, region: "r1"), F.offer("a:4", dollars: 15, region: "r2"),
            F.offer("a:5", dollars: 16, region: "r2"), F.offer("b:1", dollars: 1, region: "r1"),
        ]
        let quote = planner.quote(F.spec { $0.resources.nodes = 2 }, offers: offers, now: F.now)
        #expect(ids(quote) == [["a:4", "a:5"], ["a:1", "a:2"]])
        #expect(quote.placements.map(\.pricePerHour) == [Money(dollars: 31), Money(dollars: 40)])
    }

    @Test func allNodesOfAGangHaveOneModelEvenAcrossRegions() {
        let spec = F.spec {
            $0.resources.gpu = ["H100-SXM", "A100-80GB"]
            $0.resources.nodes = 2
            $0.placement.sameRegion = false
        }
        let offers = [F.offer("a:1", dollars: 10), F.offer("b:1", gpu: "A100-80GB", dollars: 5, region: "r2")]
        #expect(planner.quote(spec, offers: offers, now: F.now).placements.isEmpty)
    }

    @Test func autoMarketPicksTheCheaperMarketAndNeverMixesThem() {
        let offers = [
            F.offer("a:1", dollars: 8, market: .onDemand), F.offer("a:2", dollars: 5, market: .spot),
            F.offer("a:3", dollars: 6, market: .onDemand),
        ]
        let auto = planner.quote(F.spec(), offers: offers, now: F.now)
        #expect(auto.placements.map(\.market) == [.spot, .onDemand])
        #expect(ids(auto) == [["a:2"], ["a:3"]])

        let pair = planner.quote(F.spec { $0.resources.nodes = 2 }, offers: offers, now: F.now)
        #expect(ids(pair) == [["a:3", "a:1"]])

        let onDemand = planner.quote(F.spec { $0.market = .onDemand }, offers: offers, now: F.now)
        #expect(onDemand.placements.map(\.market) == [.onDemand])
    }

    @Test(arguments: [(40.0, false), (45.0, true), (44.99, false)])
    func priceCapAppliesToTheWholeGang(cap: Double, fits: Bool) {
        let spec = F.spec {
            $0.resources.nodes = 2
            $0.maxPricePerHour = Money(dollars: cap)
        }
        let quote = planner.quote(spec, offers: [F.offer("a:1", dollars: 20), F.offer("a:2", dollars: 25)], now: F.now)
        #expect(quote.placements.isEmpty == !fits)
        if !fits {
            #expect(
                quote.reason?.hasSuffix(
                    "the cheapest 2-node gang is $45.00/h against a cap of \(Money(dollars: cap)!.formatted())/h")
                    == true, "\(quote.reason ?? "nil")")
        }
    }

    /// 300 A100 GPU-hours: 37.5 h on a node of eight A100s, 11.8 h on eight H100-SXMs.
    private var mixedSpec: JobSpec {
        F.spec {
            $0.resources.gpu = ["H100-SXM", "A100-80GB"]
            $0.work = F.work(300)
        }
    }
    private let a100 = F.offer("a:a100", gpu: "A100-80GB", dollars: 10)
    private let h100 = F.offer("h:h100", dollars: 25)

    @Test func workRanksByCostToFinishNotPricePerHour() {
        let quote = planner.quote(mixedSpec, offers: [a100, h100], now: F.now)
        #expect(ids(quote) == [["h:h100"], ["a:a100"]])
        let hours = 300 / (3.17 * 8)
        #expect(abs((quote.placements.first?.estimatedHours ?? 0) - hours) < 1e-9)
        #expect(quote.placements.last?.estimatedHours == 37.5)
        #expect(quote.placements.last?.estimatedCost == Money(dollars: 375))
        #expect(quote.placements.first!.estimatedCost! < Money(dollars: 375)!)

        let withoutWork = planner.quote(
            F.spec { $0.resources.gpu = ["H100-SXM", "A100-80GB"] }, offers: [a100, h100], now: F.now)
        #expect(ids(withoutWork) == [["a:a100"], ["h:h100"]])
        #expect(withoutWork.placements.allSatisfy { $0.estimatedHours == nil && $0.estimatedCost == nil })
    }

    @Test func estimatedCostIsPriceTimesHoursRoundedUp() {
        // 32.8 GPU-hours on eight A100s: 4.1 h; at $31.20/h, exactly $127.92.
        let spec = F.spec {
            $0.resources.gpu = ["A100-80GB"]
            $0.work = F.work(32.8)
        }
        let exact = planner.quote(spec, offers: [F.offer("a:1", gpu: "A100-80GB", dollars: 31.2)], now: F.now)
        #expect(exact.placements.first?.estimatedCost == Money(dollars: 127.92))
        // One third of an hour at $0.000010/h is 3.33… micro-dollars: rounded up to 4.
        let third = F.spec {
            $0.resources.gpu = ["A100-80GB"]
            $0.work = F.work(8.0 / 3)
        }
        let tiny = F.offer("a:1", gpu: "A100-80GB", dollars: 0.00001)
        #expect(
            planner.quote(third, offers: [tiny], now: F.now).placements.first?.estimatedCost == Money(microdollars: 4))
    }

    @Test func deadlineExcludesGangsThatFinishTooLate() {
        var spec = mixedSpec
        spec.deadline = F.now.addingTimeInterval(30 * 3600)
        #expect(ids(planner.quote(spec, offers: [a100, h100], now: F.now)) == [["h:h100"]])

        spec.deadline = F.now.addingTimeInterval(10 * 3600)
        let late = planner.quote(spec, offers: [a100, h100], now: F.now)
        #expect(late.placements.isEmpty)
        #expect(
            late.reason?.hasSuffix("the fastest placement needs 11.8 h, deadline in 10.0 h") == true,
            "\(late.reason ?? "nil")")
    }

    @Test func budgetExcludesGangsThatCostTooMuch() {
        var spec = mixedSpec
        spec.budget = Money(dollars: 300)
        #expect(ids(planner.quote(spec, offers: [a100, h100], now: F.now)) == [["h:h100"]])

        spec.budget = Money(dollars: 100)
        let poor = planner.quote(spec, offers: [a100, h100], now: F.now)
        #expect(poor.placements.isEmpty)
        let cheapest = planner.quote(mixedSpec, offers: [h100], now: F.now).placements[0].estimatedCost!
        #expect(
            poor.reason?.hasSuffix(
                "the cheapest placement costs \(cheapest.formatted()) to finish against a budget of $100.00") == true,
            "\(poor.reason ?? "nil")")
    }

    @Test func reasonNamesTheRequirementsAndTheCap() {
        let spec = F.spec {
            $0.resources.gpu = ["H100"]
            $0.resources.nodes = 2
            $0.placement.countries = ["DE", "FR"]
            $0.maxPricePerHour = Money(dollars: 40)
        }
        let offers = [
            F.offer("a:1", dollars: 26.05, country: "DE", available: 2), F.offer("a:2", dollars: 1, country: "US"),
            F.offer("a:3", gpu: "H100-PCIE", dollars: 27, country: "FR"),
        ]
        let quote = planner.quote(spec, offers: offers, now: F.now)
        #expect(
            quote.reason
                == "no placement fits: 2 H100-SXM/H100-PCIE/H100-NVL offers with 8 GPUs in DE, FR meet every "
                + "per-node requirement, but the cheapest 2-node gang is $52.10/h against a cap of $40.00/h")
        #expect(
            planner.quote(spec, offers: [], now: F.now).reason == "no offer fits: there are no offers")
    }

    @Test func limitAndTiesAreDeterministic() {
        let offers = (0..<8).map { F.offer("p\($0 % 4):\($0)", dollars: 10, region: "r\($0 % 2)") }
        let quote = planner.quote(F.spec(), offers: offers, now: F.now, limit: 3)
        #expect(ids(quote) == [["p0:0"], ["p1:1"], ["p2:2"]])
        #expect(planner.quote(F.spec(), offers: offers.reversed(), now: F.now, limit: 3) == quote)
    }

    /// A quote stops scanning once no dearer offer can rank among its best `limit`; its
    /// placements are still the first of a quote that keeps every gang.
    @Test func theBestFewAreTheFirstOfAll() {
        var marketsWithMore = 0
        for seed in UInt64(0)..<60 {
            var random = SeededRandom(seed: seed)
            let market = MatchingMarket.random(&random, offers: 150)
            let book = OfferBook(offers: market.offers)
            let all = planner.quote(market.spec, offers: market.offers, now: F.now, limit: 10_000).placements
            if all.count > 3 { marketsWithMore += 1 }
            for limit in [1, 3] {
                let few = Array(all.prefix(limit))
                #expect(planner.quote(market.spec, book: book, now: F.now, limit: limit).placements == few, "\(seed)")
                #expect(planner.quote(market.spec, offers: market.offers, now: F.now, limit: limit).placements == few)
            }
        }
        #expect(marketsWithMore >= 8, "\(marketsWithMore) of 60 markets have more than 3 placements")
    }

    @Test(arguments: 0..<20)
    func bookAnswersLikeTheOfferList(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let market = MatchingMarket.random(&random, offers: 60)
        let book = OfferBook(offers: market.offers)
        #expect(
            planner.quote(market.spec, book: book, now: F.now)
                == planner.quote(market.spec, offers: market.offers, now: F.now))
    }
}
