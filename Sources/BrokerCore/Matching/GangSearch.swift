/// The work of one quote: each group's cheapest gang, built as the offers that meet the per-node
/// requirements come in, cheapest first (ties by id) within each GPU model.
///
/// A group fills greedily: an offer with `available` = k supplies up to k of the nodes still
/// missing; once full, a group ignores its dearer offers. Offers are referred to by their place
/// in ``lists``, never copied.
///
/// Once `limit` gangs fit, a scan stops where no dearer offer can complete a gang that would rank
/// among the best `limit` (every gang still to come costs at least its nodes at the current
/// price): the best `limit` are then exactly those of a full scan. Only the reason, which is
/// given when no gang fits and so never after such a stop, would need the rest.
struct GangSearch {
    /// An offer's place: `lists[list][position]`.
    struct OfferRef {
        var list: Int
        var position: Int
    }

    struct RegionKey: Hashable {
        var provider: String
        var region: String
        var model: Int
        var isSpot: Bool
    }

    /// A group's gang as it fills: its nodes in rank order (a chain of ``entries``).
    struct Group {
        var model: Int
        var market: Market
        /// Nodes still missing.
        var remaining: Int
        /// Machines offered so far, each offer counting up to `nodes`.
        var capacity = 0
        var price: Int64 = 0
        var firstEntry = -1
        var lastEntry = -1
    }

    /// One offer of a group's gang, supplying `take` nodes; `next` is the group's next entry, or -1.
    struct Entry {
        var offer: OfferRef
        var take: Int
        var next = -1
    }

    /// A full group's gang, within the price cap (and deadline and budget when there is work).
    struct Gang {
        var group: Int
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
    /// The offers, as given; each list may hold offers that are not admitted.
    let lists: [OfferList]
    /// How many of the best gangs the quote keeps.
    let limit: Int
    /// Offers to leave out although they meet the requirements (the scheduler's blocked capacity).
    let excluded: ((Offer) -> Bool)?
    /// The ranking keys of the best `limit` gangs so far, best first.
    private var bestKeys: [Int64] = []
    private(set) var groups: [Group] = []
    private(set) var entries: [Entry] = []
    private var groupByRegion: [RegionKey: Int] = [:]
    private(set) var gangs: [Gang] = []
    private(set) var funnel = Funnel()

    init(
        requirements: PlacementPlanner.Requirements, lists: [OfferList], limit: Int,
        excluding excluded: ((Offer) -> Bool)? = nil
    ) {
        self.requirements = requirements
        self.lists = lists
        self.limit = limit
        self.excluded = excluded
        if !requirements.sameRegion {
            // Group model * 2 + (spot ? 0 : 1).
            groups = requirements.models.indices.flatMap { model in
                [Market.spot, .onDemand].map { Group(model: model, market: $0, remaining: requirements.nodes) }
            }
        }
    }

    /// Takes in the offers of `lists[list]` at `positions`, which must come cheapest first (ties by
    /// id); `model` is the index of the GPU model of all the list's offers, when they have one.
    mutating func scan(list: Int, positions: some Sequence<Int>, model listModel: Int?) {
        // Copied once: reached through `self` in the loop, it would be copied for every offer.
        let requirements = requirements
        guard requirements.nodes >= 1 else { return }
        let offers = lists[list].offers
        var scanned = 0
        offers.withUnsafeBufferPointer { offers in
            for position in positions {
                scanned += 1
                if bestKeys.count == limit, limit > 0, scanned % 16 == 0,
                    cannotImprove(from: offers[position].pricePerHour.microdollars, model: listModel)
                {
                    return
                }
                guard let model = requirements.modelIndex(admitting: offers, at: position) else { continue }
                if let excluded, excluded(offers[position]) { continue }
                let group = group(of: offers, at: position, model: model)
                guard groups[group].remaining > 0 else { continue }
                let available = min(offers[position].available, requirements.nodes)
                let take = min(available, groups[group].remaining)
                groups[group].capacity += available
                groups[group].remaining -= take
                groups[group].price = Self.saturatingSum(
                    groups[group].price, Self.saturatingProduct(offers[position].pricePerHour.microdollars, take))
                append(Entry(offer: OfferRef(list: list, position: position), take: take), to: group)
                if groups[group].remaining == 0 { consider(groups[group], group) }
            }
        }
    }

    /// Whether no offer at `price` or dearer (of GPU model `model`, or of any) can complete a gang
    /// whose ranking key is within the best `limit` found so far.
    private func cannotImprove(from price: Int64, model: Int?) -> Bool {
        guard let cutoff = bestKeys.last else { return false }
        let nodes = requirements.nodes
        guard lowestKey(price: Self.saturatingProduct(price, nodes), model: model) > cutoff else { return false }
        return groups.allSatisfy { group in
            guard group.remaining > 0, model == nil || group.model == model else { return true }
            let least = Self.saturatingSum(group.price, Self.saturatingProduct(price, group.remaining))
            return lowestKey(price: least, model: group.model) > cutoff
        }
    }

    /// The least ranking key of a gang costing `price` per hour, on `model` or on any model.
    private func lowestKey(price: Int64, model: Int?) -> Int64 {
        guard let hoursByModel = requirements.hoursByModel else { return price }
        let hours = model.map { hoursByModel[$0] } ?? hoursByModel.min() ?? 0
        return PlacementPlanner.costMicrodollars(pricePerHour: price, hours: hours)
    }

    /// The group of an admitted offer, created when it is the group's first.
    private mutating func group(of offers: UnsafeBufferPointer<Offer>, at position: Int, model: Int) -> Int {
        let isSpot = offers[position].market == .spot
        guard requirements.sameRegion else { return model * 2 + (isSpot ? 0 : 1) }
        let key = RegionKey(
            provider: offers[position].id.provider, region: offers[position].region, model: model, isSpot: isSpot)
        if let known = groupByRegion[key] { return known }
        groupByRegion[key] = groups.count
        groups.append(Group(model: model, market: offers[position].market, remaining: requirements.nodes))
        return groups.count - 1
    }

    private mutating func append(_ entry: Entry, to group: Int) {
        entries.append(entry)
        if groups[group].lastEntry >= 0 {
            entries[groups[group].lastEntry].next = entries.count - 1
        } else {
            groups[group].firstEntry = entries.count - 1
        }
        groups[group].lastEntry = entries.count - 1
    }

    /// Counts the groups that could not fill, after every offer has been scanned.
    mutating func finish() {
        for group in groups where group.remaining > 0 {
            funnel.largestShortCapacity = max(funnel.largestShortCapacity, group.capacity)
        }
    }

    /// Keeps a group's gang, just filled, if it fits.
    private mutating func consider(_ group: Group, _ index: Int) {
        let price = group.price
        funnel.groupsWithCapacity += 1
        funnel.cheapestGang = min(funnel.cheapestGang ?? price, price)
        if let cap = requirements.maxPricePerHour, price > cap { return }
        funnel.gangsWithinCap += 1
        var gang = Gang(group: index, price: price)
        if let hoursByModel = requirements.hoursByModel {
            let hours = hoursByModel[group.model]
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
        bestKeys.insert(gang.rankingKey, at: bestKeys.firstIndex { $0 > gang.rankingKey } ?? bestKeys.count)
        if bestKeys.count > limit { bestKeys.removeLast() }
    }

    func offer(_ ref: OfferRef) -> Offer {
        lists[ref.list][ref.position]
    }

    /// The offer of each node of `gang`, in rank order.
    func nodeOffers(of gang: Gang) -> [OfferRef] {
        var result: [OfferRef] = []
        result.reserveCapacity(requirements.nodes)
        var entry = groups[gang.group].firstEntry
        while entry >= 0 {
            result.append(contentsOf: repeatElement(entries[entry].offer, count: entries[entry].take))
            entry = entries[entry].next
        }
        return result
    }

    /// By estimated cost (price without work), then price, then the nodes' offer ids in rank order.
    func ranks(_ a: Gang, before b: Gang) -> Bool {
        if a.rankingKey != b.rankingKey { return a.rankingKey < b.rankingKey }
        if a.price != b.price { return a.price < b.price }
        for (nodeA, nodeB) in zip(nodeOffers(of: a), nodeOffers(of: b)) {
            let (idA, idB) = (lists[nodeA.list][nodeA.position].id, lists[nodeB.list][nodeB.position].id)
            if idA != idB { return idA < idB }
        }
        return a.group < b.group
    }

    func placement(of gang: Gang) -> Placement {
        let group = groups[gang.group]
        let nodes = nodeOffers(of: gang).enumerated().map { PlacedNode(rank: $0.offset, offer: offer($0.element)) }
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
