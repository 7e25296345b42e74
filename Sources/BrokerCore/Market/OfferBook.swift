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
/// A poll changes only what it changed: offers seen again at their place are overwritten where
/// they are stored (``OfferStorage``), and only offers that came, went or moved touch the orders
/// and the summaries (of their GPUs only).
///
/// "Live" follows the store exactly: an offer stays until its provider has not listed it since
/// the provider's expiry cutoff.
public struct OfferBook: Sendable {
    private var storage: OfferStorage
    /// Each provider's offers, by native id (hashing the provider's id for each would be wasted), as
    /// slots of ``storage``.
    private var slotsByProvider: [String: [String: Int32]]
    private var all: OfferOrders
    /// Per GPU name, so a GPU-filtered search scans only the GPUs it asks for.
    private var byGPU: [String: OfferOrders]
    private var summariesByGPU: [String: [GPUMarketSummary]]
    /// When each provider last listed its offers: those it listed were last seen then.
    private var listedAt: [String: Date]
    /// Each provider's last listing, as the slots of its offers in the order listed: a provider
    /// lists its offers in much the same order each time, so the slot at the same position is
    /// checked before the offer's id is looked up.
    private var listingOrder: [String: [Int32]] = [:]

    /// A book of `offers` (the live offers the store holds at start-up); `listedAt` says when each
    /// provider last listed its offers (those last seen then were in that listing). An offer not
    /// known to be in its provider's last listing is written whole when a poll lists it.
    public init(offers: [Offer] = [], listedAt: [String: Date] = [:]) {
        var storage = OfferStorage()
        var byProvider: [String: [String: Int32]] = [:]
        for offer in offers {
            if let slot = byProvider[offer.providerID]?[offer.id.native] {
                storage.overwrite(slot, with: offer)
            } else {
                byProvider[offer.providerID, default: [:]][offer.id.native] = storage.add(offer)
            }
        }
        self.storage = storage
        slotsByProvider = byProvider
        let slots = byProvider.values.flatMap(\.values)
        all = OfferOrders(slots, in: storage)
        byGPU = Dictionary(grouping: slots) { storage[$0].gpu.name }.mapValues { OfferOrders($0, in: storage) }
        summariesByGPU = [:]
        self.listedAt = listedAt
        for gpu in byGPU.keys { summarize(gpu) }
    }

    /// Per GPU model and market: offers, cheapest and median price per GPU-hour; by GPU, then market.
    public var summaries: [GPUMarketSummary] {
        summariesByGPU.keys.sorted().flatMap { summariesByGPU[$0] ?? [] }
    }

    /// Live offers in the book.
    public var count: Int { all.byPrice.count }

    /// When `provider`'s last poll that listed its offers listed them.
    public func listedAt(provider: String) -> Date? { listedAt[provider] }

    /// Live offers per provider.
    public var offerCounts: [String: Int] { slotsByProvider.mapValues(\.count) }

    /// The book after a poll of `provider`: `seen` offers added or replaced, the provider's other
    /// offers kept only while last seen at or after `cutoff`. Offers seen at different times (an
    /// owner pool's machines, each at its last heartbeat) count as listed at the latest.
    public func updating(provider: String, seen: [Offer], expiredBefore cutoff: Date) -> OfferBook {
        let listedAt = seen.lazy.map(\.lastSeenAt).max() ?? cutoff
        return updated(provider: provider, listing: seen, at: listedAt, expiredBefore: cutoff).book
    }

    /// The book after a poll of `provider` that listed `listing` at `now` (each offer seen then)
    /// or, when `listing` is nil, failed; and what that changes in the provider's stored offers.
    public func updated(provider: String, listing: [Offer]?, at now: Date, expiredBefore cutoff: Date) -> (
        book: OfferBook, changes: OfferChanges
    ) {
        var book = self
        let known = slotsByProvider[provider] ?? [:]
        let previousListing = listedAt[provider]
        var change = BookChange(slotCount: storage.slotCount)
        var changes = OfferChanges(listedAt: listing == nil ? nil : now)
        // The last listing's slots are all the provider's and live until this change releases any.
        let lastOrder = listingOrder[provider] ?? []
        var order: [Int32] = []
        order.reserveCapacity(listing?.count ?? 0)
        for (position, offer) in (listing ?? []).enumerated() {
            let guess = position < lastOrder.count ? lastOrder[position] : nil
            guard
                let slot = guess.flatMap({ book.storage[$0].id == offer.id ? $0 : nil }) ?? known[offer.id.native]
                    ?? change.addedIDs[offer.id.native]
            else {
                let slot = book.storage.add(offer)
                change.add(offer.id.native, at: slot, gpu: offer.gpu.name)
                changes.upserted.append(offer)
                order.append(slot)
                continue
            }
            order.append(slot)
            let rewrite = book.storage.update(slot, with: offer)
            if let previousGPU = rewrite.movedFrom {
                change.move(slot, from: previousGPU, to: offer.gpu.name)
            }
            if rewrite.changed || rewrite.previouslySeenAt != previousListing {
                changes.upserted.append(book.storage[slot])
            }
            change.see(slot)
        }
        for slot in known.values where !change.wasSeen(slot) {
            let offer = book.storage[slot]
            let sighting = OfferChanges.Sighting(id: offer.id, lastSeenAt: offer.lastSeenAt)
            if offer.lastSeenAt < cutoff {
                change.expire(offer.id.native, at: slot, gpu: offer.gpu.name)
                changes.withdrawn.append(sighting)
            } else if listing != nil && offer.lastSeenAt == previousListing {
                changes.unlisted.append(sighting)
            }
        }
        if let listed = changes.listedAt { book.listedAt[provider] = listed }
        // After a failed poll, some of the last listing's slots may be released and reused.
        book.listingOrder[provider] = listing == nil ? nil : order
        guard change.changesOrders else { return (book, changes) }
        var slots = known
        for (id, slot) in change.addedIDs { slots[id] = slot }
        for id in change.expiredIDs { slots[id] = nil }
        book.slotsByProvider[provider] = slots.isEmpty ? nil : slots
        book.reorder(change)
        book.storage.release(change.expired)
        return (book, changes)
    }

    /// Takes the slots `change` removes or moves out of the orders and puts those it adds or moves
    /// back in, for the GPUs it concerns and for all.
    private mutating func reorder(_ change: BookChange) {
        let removed = change.removedMask
        let inserted = change.inserted
        all = all.replacing(removed: removed, inserted: inserted, in: storage)
        let insertedByGPU = Dictionary(grouping: inserted) { storage[$0].gpu.name }
        for gpu in change.gpus {
            let orders = (byGPU[gpu] ?? OfferOrders([], in: storage))
                .replacing(removed: removed, inserted: insertedByGPU[gpu] ?? [], in: storage)
            byGPU[gpu] = orders.isEmpty ? nil : orders
            summarize(gpu)
        }
    }

    private mutating func summarize(_ gpu: String) {
        guard let orders = byGPU[gpu] else {
            summariesByGPU[gpu] = nil
            return
        }
        summariesByGPU[gpu] = storage.withOffers { offers in
            GPUMarketSummary.summaries(gpu: gpu, byPricePerGPU: orders.byPricePerGPU, in: offers)
        }
    }

    /// Offers matching `filter` in its order, starting after `cursor`; `more` tells whether
    /// others follow the last one returned.
    public func search(_ filter: OfferFilter, after cursor: OfferCursor? = nil, limit: Int) -> OfferPage {
        search(filter, after: cursor, limit: limit, tellingMore: true)
    }

    /// The first offer matching `filter` in its order (the cheapest, by price or per GPU-hour):
    /// the first result of ``search(_:after:limit:)``, without looking further.
    public func first(_ filter: OfferFilter) -> Offer? {
        search(filter, after: nil, limit: 1, tellingMore: false).offers.first
    }

    /// The offers of GPU `name` (canonical model or unknown GPU's name), cheapest first, ties by id:
    /// the book's storage with their positions in it.
    func offersByPrice(gpu name: String) -> OfferList {
        OfferList(offers: storage.offers, positions: byGPU[name]?.byPrice.map(Int.init) ?? [])
    }

    /// ``search(_:after:limit:)``; `more` is false without `tellingMore`, which saves looking for
    /// one more match.
    private func search(_ filter: OfferFilter, after cursor: OfferCursor?, limit: Int, tellingMore: Bool)
        -> OfferPage
    {
        let wanted = tellingMore ? limit + 1 : limit
        let (slots, more) = storage.withOffers { offers in
            guard let gpus = filter.gpus else {
                return Self.scan(
                    all.ordered(by: filter.sort), offers, filter, after: cursor, limit: limit, wanted: wanted)
            }
            // The first `wanted` of the union are among each GPU's own first `wanted`; every offer of
            // a GPU's orders has that GPU, so its scan need not check.
            var byGPUFilter = filter
            byGPUFilter.gpus = nil
            var found: [Int32] = []
            for gpu in gpus {
                guard let orders = byGPU[gpu] else { continue }
                found +=
                    Self.scan(
                        orders.ordered(by: filter.sort), offers, byGPUFilter, after: cursor, limit: wanted,
                        wanted: wanted
                    ).slots
            }
            if gpus.count > 1 { found.sort { filter.orders(offers[Int($0)], before: offers[Int($1)]) } }
            return (Array(found.prefix(limit)), tellingMore && found.count > limit)
        }
        return OfferPage(storage: storage, slots: slots, more: more)
    }

    /// Up to `limit` slots of `ordered` whose offers (in `offers`) match `filter` after `cursor`,
    /// and whether the matches go on to `wanted` (at least `limit`).
    private static func scan(
        _ ordered: [Int32], _ offers: UnsafeBufferPointer<Offer>, _ filter: OfferFilter, after cursor: OfferCursor?,
        limit: Int, wanted: Int
    ) -> (slots: [Int32], more: Bool) {
        var index = cursor.map { firstIndex(in: ordered, offers, after: $0, filter: filter) } ?? 0
        // In price order, the first offer above the price cap ends the matches.
        let cap = filter.sort == .price ? filter.maxPricePerHour : nil
        var found: [Int32] = []
        var matches = 0
        // Each offer is tested in place in the buffer rather than copied out of it.
        while index < ordered.count, matches < wanted {
            defer { index += 1 }
            let slot = Int(ordered[index])
            if let cap, offers[slot].pricePerHour > cap { break }
            guard filter.matches(offers, at: slot) else { continue }
            matches += 1
            if found.count < limit { found.append(ordered[index]) }
        }
        return (found, matches > limit)
    }

    /// The position of the first offer that comes after `cursor` in `ordered` (binary search).
    private static func firstIndex(
        in ordered: [Int32], _ offers: UnsafeBufferPointer<Offer>, after cursor: OfferCursor, filter: OfferFilter
    ) -> Int {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            let offer = Int(ordered[middle])
            let key = filter.sortKey(of: offers[offer])
            let isAfter = key != cursor.sortKey ? key > cursor.sortKey : offers[offer].id > cursor.offerID
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
