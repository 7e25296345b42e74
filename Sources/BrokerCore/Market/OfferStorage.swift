#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where an ``OfferBook`` keeps its offers: each at a slot of its own that its orders refer to.
/// An offer seen again at the same place in the orders (same price, GPU, count and market: only
/// its last sighting, availability or reliability changed) is overwritten in its slot, so the
/// orders need not change. Slots of offers gone are reused by later ones.
///
/// Each slot also keeps its offer's JSON head (``JSONWriter/offerHead(of:)``), rendered again only
/// when anything in it changes, so search answers copy it: about 35 MB for 100,000 offers.
struct OfferStorage: Sendable {
    /// Every slot's offer (a freed slot keeps its last one until reused).
    private(set) var offers: [Offer] = []
    /// Every slot's offer's JSON head.
    private(set) var jsonHeads: [[UInt8]] = []
    private var free: [Int32] = []

    /// Which slots a change removes.
    struct Mask {
        private var bits: [Bool]

        init(count: Int) { bits = Array(repeating: false, count: count) }

        mutating func insert(_ slot: Int32) { bits[Int(slot)] = true }
        func contains(_ slot: Int32) -> Bool { Int(slot) < bits.count && bits[Int(slot)] }
    }

    var slotCount: Int { offers.count }

    subscript(slot: Int32) -> Offer { offers[Int(slot)] }

    /// When the offer at `slot` was last seen, read in place.
    func lastSeenAt(_ slot: Int32) -> Date { offers[Int(slot)].lastSeenAt }

    /// A slot for `offer`: a free one, or a new one at the end.
    mutating func add(_ offer: Offer) -> Int32 {
        if let slot = free.popLast() {
            overwrite(slot, with: offer)
            return slot
        }
        offers.append(offer)
        jsonHeads.append(JSONWriter.offerHead(of: offer))
        return Int32(offers.count - 1)
    }

    /// Puts `offer` in `slot` whole.
    mutating func overwrite(_ slot: Int32, with offer: Offer) {
        offers[Int(slot)] = offer
        jsonHeads[Int(slot)] = JSONWriter.offerHead(of: offer)
    }

    /// What a new sighting did to an offer's slot.
    struct Rewrite {
        /// The GPU the offer had, when it left its place in the orders (see ``keepsPlace(_:_:)``).
        var movedFrom: String?
        /// Whether anything but when it was seen changed.
        var changed: Bool
        /// When the offer was seen before this sighting.
        var previouslySeenAt: Date
    }

    /// Takes in `update`, a new sighting of the offer at `slot`, keeping when it was first seen.
    /// When only plain values changed (sighting times, availability, reliability, price) they are
    /// written in place, which copies none of the offer's strings; otherwise the offer is
    /// replaced whole. The JSON head is rendered again unless only the sighting time changed.
    mutating func update(_ slot: Int32, with update: Offer) -> Rewrite {
        let rewrite = rewrite(slot, with: update)
        if rewrite.changed { jsonHeads[Int(slot)] = JSONWriter.offerHead(of: offers[Int(slot)]) }
        return rewrite
    }

    private mutating func rewrite(_ slot: Int32, with update: Offer) -> Rewrite {
        offers.withUnsafeMutableBufferPointer { offers in
            let index = Int(slot)
            let movedFrom = !Self.keepsPlace(offers[index], update) ? offers[index].gpu.name : nil
            let previouslySeenAt = offers[index].lastSeenAt
            guard offers[index].differsOnlyInPlainValues(from: update) else {
                let firstSeenAt = offers[index].firstSeenAt
                offers[index] = update
                offers[index].firstSeenAt = firstSeenAt
                return Rewrite(movedFrom: movedFrom, changed: true, previouslySeenAt: previouslySeenAt)
            }
            let changed =
                offers[index].pricePerHour != update.pricePerHour || offers[index].available != update.available
                || offers[index].reliability != update.reliability
            if changed {
                offers[index].pricePerHour = update.pricePerHour
                offers[index].available = update.available
                offers[index].reliability = update.reliability
            }
            offers[index].lastSeenAt = update.lastSeenAt
            return Rewrite(movedFrom: movedFrom, changed: changed, previouslySeenAt: previouslySeenAt)
        }
    }

    /// Frees `slots` (their offers stay readable until the slots are reused).
    mutating func release(_ slots: [Int32]) {
        free += slots
    }

    /// Every offer, by slot, without copying any: what the orders compare and searches scan.
    func withOffers<Result>(_ body: (UnsafeBufferPointer<Offer>) throws -> Result) rethrows -> Result {
        try offers.withUnsafeBufferPointer(body)
    }

    /// Whether an offer at `offer`'s place in every order can simply be overwritten by `update`.
    static func keepsPlace(_ offer: Offer, _ update: Offer) -> Bool {
        offer.pricePerHour == update.pricePerHour && offer.gpuCount == update.gpuCount
            && offer.market == update.market && offer.gpu.name == update.gpu.name
    }
}

extension Offer {
    /// Whether `other` is this offer with at most its plain values (price, availability,
    /// reliability, sighting times) changed.
    fileprivate func differsOnlyInPlainValues(from other: Offer) -> Bool {
        id == other.id && gpu == other.gpu && gpuCount == other.gpuCount && gpuMemoryGB == other.gpuMemoryGB
            && interconnect == other.interconnect && vcpus == other.vcpus && memoryGB == other.memoryGB
            && diskGB == other.diskGB && region == other.region && country == other.country && market == other.market
            && raw == other.raw
    }
}
