#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one poll of a provider changes in its stored offers: only what differs from the book, so
/// a poll that finds the market as it was writes next to nothing. An offer the poll listed as it
/// was is not among them: it was seen at ``listedAt``, which the store keeps once per provider.
public struct OfferChanges: Sendable, Equatable {
    /// An offer and when it was last seen.
    public struct Sighting: Sendable, Equatable {
        public var id: OfferID
        public var lastSeenAt: Date

        public init(id: OfferID, lastSeenAt: Date) {
            self.id = id
            self.lastSeenAt = lastSeenAt
        }
    }

    /// When the poll listed the provider's offers; nil when it failed and listed none.
    public var listedAt: Date?
    /// Offers new to the book, listed again after a poll that missed them, or changed in anything
    /// but when they were seen: written whole.
    public var upserted: [Offer] = []
    /// Offers the previous listing had and this one has not: they stay live until the expiry,
    /// seen when they last were.
    public var unlisted: [Sighting] = []
    /// Offers not listed since the expiry: gone from the market.
    public var withdrawn: [Sighting] = []

    public init(
        listedAt: Date?, upserted: [Offer] = [], unlisted: [Sighting] = [], withdrawn: [Sighting] = []
    ) {
        self.listedAt = listedAt
        self.upserted = upserted
        self.unlisted = unlisted
        self.withdrawn = withdrawn
    }
}
