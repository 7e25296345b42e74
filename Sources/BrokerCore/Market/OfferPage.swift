#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A page of an ``OfferBook`` search: the slots found in the book's storage, read from there
/// when written. An answer writes each offer's kept JSON head and when it was last seen, and
/// copies no offer.
public struct OfferPage: Sendable {
    private let storage: OfferStorage
    private let slots: [Int32]
    /// Whether more offers match after the last one.
    public let more: Bool

    init(storage: OfferStorage, slots: [Int32], more: Bool) {
        self.storage = storage
        self.slots = slots
        self.more = more
    }

    /// The offers found, in the search's order.
    public var offers: [Offer] { slots.map { storage[$0] } }

    /// The last offer found: where the next page starts.
    public var last: Offer? { slots.last.map { storage[$0] } }

    /// Each offer found, in order, as its JSON head (``JSONWriter/offerHead(of:)``) and when it was
    /// last seen.
    func forEachHead(_ body: (_ head: [UInt8], _ lastSeenAt: Date) -> Void) {
        for slot in slots { body(storage.jsonHeads[Int(slot)], storage.lastSeenAt(slot)) }
    }
}
