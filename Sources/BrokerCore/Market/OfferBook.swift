#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The live market in memory: every live offer, kept in both search orders, with the per-GPU
/// summary. An immutable value: each poll makes a new book (``updating(provider:seen:expiredBefore:)``),
/// so readers search a consistent market without locks and a 100,000-offer search costs a scan
/// of an array, not a database query.
///
/// "Live" follows the store exactly: an offer stays until its provider has not listed it since
/// the provider's expiry cutoff.
public struct OfferBook: Sendable {
    private var offersByProvider: [String: [OfferID: Offer]]
    private var all: OfferOrders
    /// Per GPU name, so a GPU-filtered search scans only the GPUs it asks for.
    private var byGPU: [String: OfferOrders]
    private var summariesByGPU: [String: [GPUMarketSummary]]

    /// A book of `offers` (the live offers the store holds at start-up).
    public init(offers: [Offer] = []) {
        var byProvider: [String: [OfferID: Offer]] = [:]
        for offer in offers { byProvider[offer.providerID, default: [:]][offer.id] = offer }
        self.init(byProvider: byProvider)
    }

    private init(byProvider: [String: [OfferID: Offer]]) {
        offersByProvider = byProvider
        let live = Array(byProvider.values.flatMap(\.values))
        all = OfferOrders(live)
        byGPU = Dictionary(grouping: live) { $0.gpu.name }.mapValues(OfferOrders.init)
        summariesByGPU = byGPU.mapValues { GPUMarketSummary.summaries(of: $0.byPricePerGPU) }
    }

    /// Per GPU model and market: offers, cheapest and median price per GPU-hour; by GPU, then market.
    public var summaries: [GPUMarketSummary] {
        summariesByGPU.keys.sorted().flatMap { summariesByGPU[$0] ?? [] }
    }

    /// Live offers in the book.
    public var count: Int { all.byPrice.count }

    /// Live offers per provider.
    public var offerCounts: [String: Int] { offersByProvider.mapValues(\.count) }

    /// The book after a poll of `provider`: `seen` offers added or replaced, the provider's other
    /// offers kept only while last seen at or after `cutoff`.
    public func updating(provider: String, seen: [Offer], expiredBefore cutoff: Date) -> OfferBook {
        let previous = offersByProvider[provider] ?? [:]
        var current = previous.filter { $0.value.lastSeenAt >= cutoff }
        for offer in seen { current[offer.id] = offer }
        let offers = Array(current.values)

        var byProvider = offersByProvider
        byProvider[provider] = current.isEmpty ? nil : current
        // A provider holding much of the market is cheaper to take in by rebuilding.
        guard (previous.count + offers.count) * 4 < count else { return OfferBook(byProvider: byProvider) }
        var book = self
        book.offersByProvider = byProvider
        book.all = all.replacing(provider: provider, with: offers)
        // Only the GPUs the provider listed before or lists now change.
        let incoming = Dictionary(grouping: offers) { $0.gpu.name }
        for gpu in Set(previous.values.map(\.gpu.name)).union(incoming.keys) {
            let orders = (byGPU[gpu] ?? OfferOrders([])).replacing(provider: provider, with: incoming[gpu] ?? [])
            book.byGPU[gpu] = orders.isEmpty ? nil : orders
            book.summariesByGPU[gpu] = orders.isEmpty ? nil : GPUMarketSummary.summaries(of: orders.byPricePerGPU)
        }
        return book
    }

    /// The book without `provider`'s offers last seen before `cutoff` (its polls are failing).
    public func withdrawing(provider: String, before cutoff: Date) -> OfferBook {
        updating(provider: provider, seen: [], expiredBefore: cutoff)
    }

    /// Offers matching `filter` in its order, starting after `cursor`; `more` tells whether
    /// others follow the last one returned.
    public func search(_ filter: OfferFilter, after cursor: OfferCursor? = nil, limit: Int) -> (
        offers: [Offer], more: Bool
    ) {
        search(filter, after: cursor, limit: limit, tellingMore: true)
    }

    /// The first offer matching `filter` in its order (the cheapest, by price or per GPU-hour):
    /// the first result of ``search(_:after:limit:)``, without looking further.
    public func first(_ filter: OfferFilter) -> Offer? {
        search(filter, after: nil, limit: 1, tellingMore: false).offers.first
    }

    /// The offers of GPU `name` (canonical model or unknown GPU's name), cheapest first, ties by id.
    func offersByPrice(gpu name: String) -> [Offer] {
        byGPU[name]?.byPrice ?? []
    }

    /// ``search(_:after:limit:)``; `more` is false without `tellingMore`, which saves looking for
    /// one more match.
    private func search(_ filter: OfferFilter, after cursor: OfferCursor?, limit: Int, tellingMore: Bool) -> (
        offers: [Offer], more: Bool
    ) {
        let wanted = tellingMore ? limit + 1 : limit
        guard let gpus = filter.gpus else {
            return Self.scan(all.ordered(by: filter.sort), filter, after: cursor, limit: limit, wanted: wanted)
        }
        // The first `wanted` of the union are among each GPU's own first `wanted`; every offer of
        // a GPU's orders has that GPU, so its scan need not check.
        var byGPUFilter = filter
        byGPUFilter.gpus = nil
        var found: [Offer] = []
        for gpu in gpus {
            guard let orders = byGPU[gpu] else { continue }
            found +=
                Self.scan(orders.ordered(by: filter.sort), byGPUFilter, after: cursor, limit: wanted, wanted: wanted)
                .offers
        }
        if gpus.count > 1 { found.sort { filter.orders($0, before: $1) } }
        return (Array(found.prefix(limit)), tellingMore && found.count > limit)
    }

    /// Up to `limit` offers of `ordered` matching `filter` after `cursor`, and whether the
    /// matches go on to `wanted` (at least `limit`).
    private static func scan(
        _ ordered: [Offer], _ filter: OfferFilter, after cursor: OfferCursor?, limit: Int, wanted: Int
    ) -> (offers: [Offer], more: Bool) {
        var index = cursor.map { firstIndex(in: ordered, after: $0, filter: filter) } ?? 0
        // In price order, the first offer above the price cap ends the matches.
        let cap = filter.sort == .price ? filter.maxPricePerHour : nil
        var found: [Offer] = []
        var matches = 0
        // Through a buffer, each offer is tested in place rather than copied out of the array.
        ordered.withUnsafeBufferPointer { ordered in
            while index < ordered.count, matches < wanted {
                defer { index += 1 }
                if let cap, ordered[index].pricePerHour > cap { break }
                guard filter.matches(ordered, at: index) else { continue }
                matches += 1
                if found.count < limit { found.append(ordered[index]) }
            }
        }
        return (found, matches > limit)
    }

    /// The position of the first offer that comes after `cursor` in `ordered` (binary search).
    private static func firstIndex(in ordered: [Offer], after cursor: OfferCursor, filter: OfferFilter) -> Int {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            let key = filter.sortKey(of: ordered[middle])
            let isAfter = key != cursor.sortKey ? key > cursor.sortKey : ordered[middle].id > cursor.offerID
            if isAfter { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Where a page of search results ended: the sort key and id of its last offer.
public struct OfferCursor: Sendable, Equatable {
    public var sortKey: Money
    public var offerID: OfferID

    public init(sortKey: Money, offerID: OfferID) {
        self.sortKey = sortKey
        self.offerID = offerID
    }

    /// The cursor after `offer` in `filter`'s order.
    public init(after offer: Offer, in filter: OfferFilter) {
        self.init(sortKey: filter.sortKey(of: offer), offerID: offer.id)
    }

    /// An opaque, URL-safe token for `next_cursor`.
    public var token: String {
        String(
            Data("\(sortKey.microdollars):\(offerID)".utf8).base64EncodedString().map { character in
                character == "+" ? "-" : character == "/" ? "_" : character
            })
    }

    /// Reads a token made by ``token``; nil for anything else.
    public init?(token: String) {
        let base64 = String(token.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":"), let micros = Int64(text[..<colon]),
            let id = OfferID(String(text[text.index(after: colon)...]))
        else { return nil }
        self.init(sortKey: Money(microdollars: micros), offerID: id)
    }
}
