/// A page of an ``OfferBook`` search.
public struct OfferPage: Sendable {
    /// The offers found, in the search's order.
    public var offers: [Offer]
    /// Each offer's JSON head (``JSONWriter/offerHead(of:)``), as the book keeps it.
    public var jsonHeads: [[UInt8]]
    /// Whether more offers match after the last one.
    public var more: Bool
}
