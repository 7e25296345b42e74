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
/// Cost, on a book: one pass over the book's offers of the accepted GPU models, which it already
/// keeps cheapest first, so no offer is copied or sorted, and which stops once no dearer offer
/// can make a gang that ranks among the best `limit`; then a sort of one gang per group.
public struct PlacementPlanner: Sendable {
    public let catalog: GPUCatalog

    public init(catalog: GPUCatalog = .standard) {
        self.catalog = catalog
    }

    /// The best `limit` placements of `spec` among `offers`, or an empty list and the reason.
    public func quote(_ spec: JobSpec, offers: some Collection<Offer>, now: Date, limit: Int = 5) -> Quote {
        let requirements = Requirements(spec, catalog: catalog, now: now)
        let offers = Array(offers)
        // Gangs are built cheapest first, ties by id: the order a book keeps.
        let order = OfferOrders.priceOrder
        let list = OfferList(
            offers: offers, positions: offers.indices.sorted { order.orders(offers[$0], before: offers[$1]) })
        var search = GangSearch(requirements: requirements, lists: [list], limit: limit)
        search.scan(list: 0, positions: list.positions, model: nil)
        return Self.quote(requirements, search: search, total: offers.count, limit: limit)
    }

    /// The best `limit` placements of `spec` among the offers of `book`, or an empty list and the reason.
    /// `excluded` leaves out offers that meet the spec but must not be used now (capacity the
    /// scheduler has seen refused).
    public func quote(
        _ spec: JobSpec, book: OfferBook, now: Date, limit: Int = 5, excluding excluded: ((Offer) -> Bool)? = nil
    ) -> Quote {
        let requirements = Requirements(spec, catalog: catalog, now: now)
        // Only offers of the accepted models can be admitted; the book keeps each model's cheapest first.
        var search = GangSearch(
            requirements: requirements, lists: requirements.modelNames.map { book.offersByPrice(gpu: $0) },
            limit: limit, excluding: excluded)
        for model in search.lists.indices {
            search.scan(list: model, positions: search.lists[model].positions, model: model)
        }
        return Self.quote(requirements, search: search, total: book.count, limit: limit)
    }

    /// The quote of a search that has scanned the offers (all those that could change its answer),
    /// among `total` offers.
    private static func quote(_ requirements: Requirements, search: GangSearch, total: Int, limit: Int) -> Quote {
        var search = search
        search.finish()
        guard !search.gangs.isEmpty else {
            return Quote(placements: [], reason: Self.reason(requirements, total: total, search: search))
        }
        guard limit > 0 else { return Quote(placements: [], reason: nil) }
        let ranked = search.gangs.sorted { search.ranks($0, before: $1) }
        return Quote(placements: ranked.prefix(limit).map(search.placement(of:)), reason: nil)
    }
}
