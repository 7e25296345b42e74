import BrokerCore
import Foundation
import Testing

/// A small random market and spec, for checking the planner against brute force.
struct MatchingMarket {
    var offers: [Offer]
    var spec: JobSpec

    static func random(_ random: inout SeededRandom, offers count: Int) -> MatchingMarket {
        let models = ["H100-SXM", "H100-PCIE", "A100-80GB", "L40S"]
        let offers = (0..<count).map { index in
            MatchingFixtures.offer(
                "\(["a", "b", "c"][random.next(3)]):o\(index)", gpu: models[random.next(4)],
                gpus: [1, 8][random.next(2)],
                dollars: Double(1 + random.next(20)), market: random.next(2) == 0 ? .spot : .onDemand,
                region: ["r1", "r2"][random.next(2)], country: [nil, "US", "DE"][random.next(3)],
                available: random.next(4), gpuMemoryGB: [48, 80][random.next(2)],
                interconnect: [nil, "NVLink", "pcie"][random.next(3)])
        }
        let gpuLists = [
            ["H100"], ["H100-SXM", "A100-80GB"], ["A100-80GB"], ["H100", "L40S"], ["L40S", "A100-80GB", "H100-PCIE"],
        ]
        let spec = MatchingFixtures.spec { spec in
            spec.resources.gpu = gpuLists[random.next(gpuLists.count)]
            spec.resources.gpusPerNode = [1, 8][random.next(2)]
            spec.resources.nodes = 1 + random.next(3)
            spec.resources.minGPUMemoryGB = random.next(3) == 0 ? 80 : nil
            spec.resources.interconnect = random.next(4) == 0 ? .nvlink : nil
            spec.placement.countries = [[], [], ["US"], ["US", "DE"]][random.next(4)]
            spec.placement.excludeProviders = random.next(4) == 0 ? ["c"] : []
            spec.placement.sameRegion = random.next(2) == 0
            spec.market = JobSpec.MarketChoice.allCases[random.next(3)]
            spec.maxPricePerHour = random.next(2) == 0 ? nil : Money(dollars: Double(5 + random.next(40)))
            if random.next(3) != 0 {
                spec.work = MatchingFixtures.work(Double(10 + random.next(500)))
                spec.deadline =
                    random.next(2) == 0 ? nil : MatchingFixtures.now.addingTimeInterval(Double(random.next(200)) * 3600)
                spec.budget = random.next(2) == 0 ? nil : Money(dollars: Double(random.next(3000)))
            }
        }
        return MatchingMarket(offers: offers, spec: spec)
    }
}

@Suite("Placement matching agrees with brute force")
struct MatchingBruteForceTests {
    /// What placements are ranked by: estimated cost (or price), price, node offer ids in rank order.
    struct Key: Comparable, CustomStringConvertible {
        var primary: Money
        var price: Money
        var ids: [OfferID]

        static func < (a: Key, b: Key) -> Bool {
            if a.primary != b.primary { return a.primary < b.primary }
            if a.price != b.price { return a.price < b.price }
            return a.ids.lexicographicallyPrecedes(b.ids)
        }

        var description: String { "\(primary.decimalString) \(price.decimalString) \(ids)" }
    }

    /// The rules, written out plainly for one offer.
    static func admits(_ offer: Offer, _ spec: JobSpec) -> Bool {
        let resources = spec.resources
        let names = resources.acceptedModels().map(\.name)
        guard let name = offer.gpu.model?.name, names.contains(name) else { return false }
        if offer.gpuCount != resources.gpusPerNode { return false }
        if let minimum = resources.minGPUMemoryGB, offer.gpuMemoryGB < minimum { return false }
        if let minimum = resources.minVCPUs, offer.vcpus < minimum { return false }
        if let minimum = resources.minMemoryGB, offer.memoryGB < minimum { return false }
        if let minimum = resources.minDiskGB, offer.diskGB < minimum { return false }
        if let interconnect = resources.interconnect, offer.interconnect?.lowercased() != interconnect.rawValue {
            return false
        }
        if !spec.placement.countries.isEmpty {
            guard let country = offer.country, spec.placement.countries.contains(country) else { return false }
        }
        if spec.placement.excludeProviders.contains(offer.providerID) { return false }
        switch spec.market {
        case .spot: if offer.market != .spot { return false }
        case .onDemand: if offer.market != .onDemand { return false }
        case .auto: break
        }
        return offer.available >= 1
    }

    /// The ranking key of a gang (offers with repeats), or nil when it breaks a rule.
    static func key(of gang: [Offer], _ spec: JobSpec, now: Date) -> Key? {
        guard gang.count == spec.resources.nodes, let first = gang.first else { return nil }
        guard gang.allSatisfy({ admits($0, spec) }) else { return nil }
        guard gang.allSatisfy({ $0.gpu == first.gpu && $0.market == first.market }) else { return nil }
        if spec.placement.sameRegion {
            guard gang.allSatisfy({ $0.providerID == first.providerID && $0.region == first.region }) else {
                return nil
            }
        }
        for offer in gang where gang.count(where: { $0.id == offer.id }) > offer.available { return nil }
        let price = gang.reduce(Money.zero) { $0 + $1.pricePerHour }
        if let cap = spec.maxPricePerHour, price > cap { return nil }
        var primary = price
        if let work = spec.work {
            let model = first.gpu.model!
            let gpus = Double(spec.resources.nodes) * Double(spec.resources.gpusPerNode)
            let hours = work.gpuHours * work.referenceGPU.relativeSpeed / (model.relativeSpeed * gpus)
            if let deadline = spec.deadline, now.addingTimeInterval(hours * 3600) > deadline { return nil }
            let exact = Double(price.microdollars) * hours
            let cost =
                abs(exact - exact.rounded()) <= exact.rounded() * 1e-12 ? exact.rounded() : exact.rounded(.up)
            primary = Money(microdollars: Int64(cost))
            if let budget = spec.budget, primary > budget { return nil }
        }
        let ranked = gang.sorted { ($0.pricePerHour, $0.id) < ($1.pricePerHour, $1.id) }
        return Key(primary: primary, price: price, ids: ranked.map(\.id))
    }

    /// Every multiset of `offers` with `nodes` members (each offer at most `available` times, and
    /// at most `nodes`).
    static func gangs(of offers: [Offer], nodes: Int) -> [[Offer]] {
        var result: [[Offer]] = []
        func extend(_ gang: [Offer], from index: Int) {
            if gang.count == nodes {
                result.append(gang)
                return
            }
            guard index < offers.count else { return }
            let most = min(max(offers[index].available, 0), nodes - gang.count)
            for count in 0...most {
                extend(gang + Array(repeating: offers[index], count: count), from: index + 1)
            }
        }
        extend([], from: 0)
        return result
    }

    static func key(of placement: Placement) -> Key {
        Key(
            primary: placement.estimatedCost ?? placement.pricePerHour, price: placement.pricePerHour,
            ids: placement.nodes.map(\.offer.id))
    }

    @Test(arguments: 0..<300)
    func firstPlacementIsTheBestGang(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let market = MatchingMarket.random(&random, offers: 1 + random.next(12))
        let spec = market.spec
        let now = MatchingFixtures.now
        let best = Self.gangs(of: market.offers, nodes: spec.resources.nodes)
            .compactMap { Self.key(of: $0, spec, now: now) }.min()
        let quote = PlacementPlanner().quote(spec, offers: market.offers, now: now)

        #expect(quote.placements.first.map(Self.key(of:)) == best, "seed \(seed)")
        #expect((quote.reason == nil) == (best != nil), "seed \(seed): \(quote.reason ?? "nil")")
        // Every placement is a valid gang, ranked, and from its own group.
        let keys = quote.placements.map { placement in
            Self.key(of: placement.nodes.map(\.offer), spec, now: now)
        }
        #expect(keys.allSatisfy { $0 != nil }, "seed \(seed)")
        #expect(keys.compactMap { $0 } == keys.compactMap { $0 }.sorted(), "seed \(seed)")
        #expect(quote.placements.map(\.nodes.count).allSatisfy { $0 == spec.resources.nodes })
        #expect(quote.placements.allSatisfy { $0.nodes.map(\.rank) == Array($0.nodes.indices) })
        let groups = quote.placements.map { placement in
            let node = placement.nodes[0].offer
            return spec.placement.sameRegion
                ? "\(node.providerID)/\(node.region)/\(node.gpu.name)/\(node.market)"
                : "\(node.gpu.name)/\(node.market)"
        }
        #expect(Set(groups).count == groups.count, "seed \(seed)")
    }
}

extension MatchingBruteForceTests {
    /// The random markets are a real test: many have a placement, many have none.
    @Test func randomMarketsOftenFitAndOftenDoNot() {
        let fitting = (0..<300).count { (seed: UInt64) in
            var random = SeededRandom(seed: seed)
            let market = MatchingMarket.random(&random, offers: 1 + random.next(12))
            return !PlacementPlanner().quote(market.spec, offers: market.offers, now: MatchingFixtures.now)
                .placements.isEmpty
        }
        #expect((30...270).contains(fitting), "\(fitting) of 300 fit")
    }
}
