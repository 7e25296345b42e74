#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns a job spec and the live offers into ranked placements (`POST /v1/quotes`). Pure: no I/O,
/// no clock (`now` is a parameter), the same answer for the same offers in any order.
///
/// A placement is a gang of `resources.nodes` nodes, each an offer that meets every per-node
/// requirement of the spec: a GPU model `resources.gpu` selects, exactly `gpus_per_node` GPUs, the
/// `min_*` amounts, the interconnect when one is asked for (the offer's, compared ignoring case; an
/// offer that does not say has none), a country of `placement.countries` when given (an offer
/// whose country is unknown is in none), a provider not in `exclude_providers`, the spec's market
/// (`auto` allows both), and at least one machine available. An offer with `available` = k may
/// supply up to k nodes. All nodes have the same GPU model and market; with `same_region` (the
/// default) they also share one (provider, region).
///
/// A gang's price is the sum of its nodes' prices and must be within `max_price_per_hour`. With
/// `work`, a gang on model M takes `gpu_hours × reference.relativeSpeed / (M.relativeSpeed ×
/// nodes × gpus_per_node)` hours, costing the price times that, rounded up to the micro-dollar;
/// gangs that would finish after `deadline` or cost more than `budget_usd` are left out (without
/// `work` neither can be estimated, so neither applies).
///
/// Placements are ranked by estimated cost (by price per hour without `work`), then price per
/// hour, then the nodes' offer ids in rank order. Each (provider, region, model, market) group —
/// (model, market) without `same_region` — contributes at most its best gang, which is its
/// cheapest offers taken greedily: within a group every gang has the same duration, so the
/// cheapest per hour is also the cheapest to finish.
///
/// Cost: one pass over the offers, then a sort of those that meet the per-node requirements.
public struct PlacementPlanner: Sendable {
    public let catalog: GPUCatalog

    public init(catalog: GPUCatalog = .standard) {
        self.catalog = catalog
    }

    /// The best `limit` placements of `spec` among `offers`, or an empty list and the reason.
    public func quote(_ spec: JobSpec, offers: some Collection<Offer>, now: Date, limit: Int = 5) -> Quote {
        let requirements = Requirements(spec, catalog: catalog, now: now)
        let quote = offers.withContiguousStorageIfAvailable { buffer in
            Self.quote(requirements, offers: buffer, limit: limit)
        }
        if let quote { return quote }
        return Array(offers).withUnsafeBufferPointer { Self.quote(requirements, offers: $0, limit: limit) }
    }

    /// The best `limit` placements of `spec` among the offers of `book`, which it first narrows
    /// with a search (GPU models, GPU count, GPU memory, market, countries).
    public func quote(_ spec: JobSpec, book: OfferBook, now: Date, limit: Int = 5) -> Quote {
        let requirements = Requirements(spec, catalog: catalog, now: now)
        let narrowed = book.search(requirements.prefilter, limit: book.count).offers
        let quote = narrowed.withUnsafeBufferPointer { Self.quote(requirements, offers: $0, limit: limit) }
        guard quote.placements.isEmpty, limit > 0 else { return quote }
        // The reason counts every offer, so it needs the whole book.
        let all = book.search(OfferFilter(), limit: book.count).offers
        return all.withUnsafeBufferPointer { Self.quote(requirements, offers: $0, limit: limit) }
    }

    private static func quote(_ requirements: Requirements, offers: UnsafeBufferPointer<Offer>, limit: Int) -> Quote {
        var search = GangSearch(requirements: requirements, offers: offers)
        search.run()
        guard !search.gangs.isEmpty else {
            return Quote(placements: [], reason: Self.reason(requirements, offers: offers, search: search))
        }
        guard limit > 0 else { return Quote(placements: [], reason: nil) }
        let ranked = search.gangs.sorted { search.ranks($0, before: $1) }
        return Quote(placements: ranked.prefix(limit).map(search.placement(of:)), reason: nil)
    }
}

extension PlacementPlanner {
    /// The spec, prepared for testing offers quickly.
    struct Requirements {
        let models: [GPUModel]
        let modelNames: [String]
        let gpusPerNode: Int
        let nodes: Int
        let minGPUMemoryGB: Int
        let minVCPUs: Int
        let minMemoryGB: Int
        let minDiskGB: Int
        /// The required interconnect, lowercase.
        let interconnect: String?
        let countries: Set<String>?
        let excludedProviders: Set<String>
        let allowsSpot: Bool
        let allowsOnDemand: Bool
        let sameRegion: Bool
        let maxPricePerHour: Int64?
        let budget: Int64?
        /// Seconds from now to the deadline (only with work, which the deadline is checked against).
        let secondsToDeadline: Double?
        /// Hours the work takes on a gang of each model (parallel to ``models``), when there is work.
        let hoursByModel: [Double]?
        let spec: JobSpec

        init(_ spec: JobSpec, catalog: GPUCatalog, now: Date) {
            let resources = spec.resources
            self.spec = spec
            models = resources.acceptedModels(in: catalog)
            modelNames = models.map(\.name)
            gpusPerNode = resources.gpusPerNode
            nodes = resources.nodes
            minGPUMemoryGB = resources.minGPUMemoryGB ?? .min
            minVCPUs = resources.minVCPUs ?? .min
            minMemoryGB = resources.minMemoryGB ?? .min
            minDiskGB = resources.minDiskGB ?? .min
            interconnect = resources.interconnect?.rawValue.lowercased()
            countries = spec.placement.countries.isEmpty ? nil : Set(spec.placement.countries)
            excludedProviders = Set(spec.placement.excludeProviders)
            allowsSpot = spec.market != .onDemand
            allowsOnDemand = spec.market != .spot
            sameRegion = spec.placement.sameRegion
            maxPricePerHour = spec.maxPricePerHour?.microdollars
            budget = spec.budget?.microdollars
            if let work = spec.work {
                let gpus = Double(resources.nodes) * Double(resources.gpusPerNode)
                hoursByModel = models.map {
                    work.gpuHours * work.referenceGPU.relativeSpeed / ($0.relativeSpeed * gpus)
                }
                secondsToDeadline = spec.deadline.map { $0.timeIntervalSince(now) }
            } else {
                hoursByModel = nil
                secondsToDeadline = nil
            }
        }

        /// A book search that keeps every offer ``modelIndex(admitting:at:)`` admits (and a few more).
        var prefilter: OfferFilter {
            OfferFilter(
                gpus: Set(modelNames), minGPUs: gpusPerNode,
                minGPUMemoryGB: minGPUMemoryGB > 0 ? minGPUMemoryGB : nil,
                market: allowsSpot && allowsOnDemand ? nil : allowsSpot ? .spot : .onDemand, countries: countries)
        }

        /// The index in ``models`` of the offer's GPU when the offer meets every per-node
        /// requirement, else nil.
        @inline(__always)
        func modelIndex(admitting offers: UnsafeBufferPointer<Offer>, at index: Int) -> Int? {
            guard offers[index].gpuCount == gpusPerNode, offers[index].available >= 1,
                offers[index].gpuMemoryGB >= minGPUMemoryGB, offers[index].vcpus >= minVCPUs,
                offers[index].memoryGB >= minMemoryGB, offers[index].diskGB >= minDiskGB,
                offers[index].market == .spot ? allowsSpot : allowsOnDemand
            else { return nil }
            guard case .known(let model) = offers[index].gpu, let found = modelNames.firstIndex(of: model.name) else {
                return nil
            }
            if let interconnect {
                guard let offered = offers[index].interconnect,
                    Self.equalsIgnoringASCIICase(offered, lowercase: interconnect)
                else { return nil }
            }
            if let countries {
                guard let country = offers[index].country, countries.contains(country) else { return nil }
            }
            if !excludedProviders.isEmpty, excludedProviders.contains(offers[index].id.provider) { return nil }
            return found
        }

        /// Whether `text` equals `lowercase` (all lowercase) when ASCII letters are lowercased.
        static func equalsIgnoringASCIICase(_ text: String, lowercase: String) -> Bool {
            guard text.utf8.count == lowercase.utf8.count else { return false }
            return zip(text.utf8, lowercase.utf8).allSatisfy { byte, expected in
                let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                return lowered == expected
            }
        }
    }

    /// The estimated cost of `hours` at `pricePerHour` micro-dollars, rounded up to the micro-dollar
    /// (products within a trillionth of a whole micro-dollar count as exact, so binary error does
    /// not round $127.92 up to $127.920001); saturates at `Int64.max`.
    static func costMicrodollars(pricePerHour: Int64, hours: Double) -> Int64 {
        let exact = Double(pricePerHour) * hours
        guard exact.isFinite else { return .max }
        let nearest = exact.rounded()
        let rounded = abs(exact - nearest) <= abs(nearest) * 1e-12 ? nearest : exact.rounded(.up)
        return rounded < 9.0e18 ? Int64(rounded) : .max
    }
}

/// The work of one quote: the offers that meet the per-node requirements, grouped and sorted, and
/// each group's cheapest gang.
struct GangSearch {
    /// An offer that meets the per-node requirements.
    struct Candidate {
        var group: Int
        var offer: Int
        var price: Int64
    }

    struct Group {
        var model: Int
        var market: Market
    }

    struct RegionKey: Hashable {
        var provider: String
        var region: String
        var model: Int
        var isSpot: Bool
    }

    /// A group's cheapest gang: the first `nodes` machines of `candidates[start..<end]`.
    struct Gang {
        var group: Int
        var start: Int
        var end: Int
        var price: Int64
        var hours: Double?
        var cost: Int64?

        var rankingKey: Int64 { cost ?? price }
    }

    /// What stopped gangs, for the reason when none is left.
    struct Funnel {
        /// The most nodes a group could supply, among groups that cannot supply enough.
        var largestShortCapacity = 0
        var groupsWithCapacity = 0
        var cheapestGang: Int64?
        var gangsWithinCap = 0
        var fastestHours: Double?
        var gangsWithinDeadline = 0
        var cheapestCost: Int64?
    }

    let requirements: PlacementPlanner.Requirements
    let offers: UnsafeBufferPointer<Offer>
    private(set) var candidates: [Candidate] = []
    private(set) var groups: [Group] = []
    private(set) var gangs: [Gang] = []
    private(set) var funnel = Funnel()

    init(requirements: PlacementPlanner.Requirements, offers: UnsafeBufferPointer<Offer>) {
        self.requirements = requirements
        self.offers = offers
    }

    mutating func run() {
        guard requirements.nodes >= 1 else { return }
        collectCandidates()
        let offers = offers
        candidates.sort { a, b in
            if a.group != b.group { return a.group < b.group }
            if a.price != b.price { return a.price < b.price }
            return offers[a.offer].id < offers[b.offer].id
        }
        var start = 0
        while start < candidates.count {
            var end = start
            while end < candidates.count, candidates[end].group == candidates[start].group { end += 1 }
            considerGroup(start..<end)
            start = end
        }
    }

    private mutating func collectCandidates() {
        let requirements = requirements
        if !requirements.sameRegion {
            groups = requirements.models.indices.flatMap {
                [Group(model: $0, market: .spot), Group(model: $0, market: .onDemand)]
            }
        }
        var groupByRegion: [RegionKey: Int] = [:]
        for index in offers.indices {
            guard let model = requirements.modelIndex(admitting: offers, at: index) else { continue }
            let isSpot = offers[index].market == .spot
            let group: Int
            if requirements.sameRegion {
                let key = RegionKey(
                    provider: offers[index].id.provider, region: offers[index].region, model: model, isSpot: isSpot)
                if let known = groupByRegion[key] {
                    group = known
                } else {
                    group = groups.count
                    groupByRegion[key] = group
                    groups.append(Group(model: model, market: offers[index].market))
                }
            } else {
                group = model * 2 + (isSpot ? 0 : 1)
            }
            candidates.append(Candidate(group: group, offer: index, price: offers[index].pricePerHour.microdollars))
        }
    }

    /// Builds the cheapest gang of one group's candidates (sorted by price) and keeps it if it fits.
    private mutating func considerGroup(_ range: Range<Int>) {
        let nodes = requirements.nodes
        var remaining = nodes
        var price: Int64 = 0
        var end = range.lowerBound
        var capacity = 0
        for position in range {
            let available = min(offers[candidates[position].offer].available, nodes)
            capacity += available
            guard remaining > 0 else { continue }
            let take = min(available, remaining)
            price = Self.saturatingSum(price, Self.saturatingProduct(candidates[position].price, take))
            remaining -= take
            end = position + 1
        }
        guard remaining == 0 else {
            funnel.largestShortCapacity = max(funnel.largestShortCapacity, capacity)
            return
        }
        funnel.groupsWithCapacity += 1
        funnel.cheapestGang = min(funnel.cheapestGang ?? price, price)
        if let cap = requirements.maxPricePerHour, price > cap { return }
        funnel.gangsWithinCap += 1
        let group = candidates[range.lowerBound].group
        var gang = Gang(group: group, start: range.lowerBound, end: end, price: price)
        if let hoursByModel = requirements.hoursByModel {
            let hours = hoursByModel[groups[group].model]
            funnel.fastestHours = min(funnel.fastestHours ?? hours, hours)
            if let seconds = requirements.secondsToDeadline, !(hours * 3600 <= seconds) { return }
            funnel.gangsWithinDeadline += 1
            let cost = PlacementPlanner.costMicrodollars(pricePerHour: price, hours: hours)
            funnel.cheapestCost = min(funnel.cheapestCost ?? cost, cost)
            if let budget = requirements.budget, cost > budget { return }
            gang.hours = hours
            gang.cost = cost
        }
        gangs.append(gang)
    }

    /// The offer of each node of `gang`, in rank order.
    func nodeOffers(of gang: Gang) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(requirements.nodes)
        var remaining = requirements.nodes
        for position in gang.start..<gang.end {
            let take = min(offers[candidates[position].offer].available, remaining)
            result.append(contentsOf: repeatElement(candidates[position].offer, count: take))
            remaining -= take
        }
        return result
    }

    /// By estimated cost (price without work), then price, then the nodes' offer ids in rank order.
    func ranks(_ a: Gang, before b: Gang) -> Bool {
        if a.rankingKey != b.rankingKey { return a.rankingKey < b.rankingKey }
        if a.price != b.price { return a.price < b.price }
        let (nodesA, nodesB) = (nodeOffers(of: a), nodeOffers(of: b))
        if let difference = zip(nodesA, nodesB).first(where: { offers[$0].id != offers[$1].id }) {
            return offers[difference.0].id < offers[difference.1].id
        }
        return a.group < b.group
    }

    func placement(of gang: Gang) -> Placement {
        let group = groups[gang.group]
        let nodes = nodeOffers(of: gang).enumerated().map { PlacedNode(rank: $0.offset, offer: offers[$0.element]) }
        return Placement(
            market: group.market, gpu: requirements.models[group.model], nodes: nodes,
            pricePerHour: Money(microdollars: gang.price), estimatedHours: gang.hours,
            estimatedCost: gang.cost.map { Money(microdollars: $0) })
    }

    private static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    private static func saturatingProduct(_ a: Int64, _ count: Int) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: Int64(count))
        return overflow ? .max : product
    }
}
