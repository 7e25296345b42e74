import BrokerCore

/// What one poll of a provider's pricing API saw.
public struct PricingSnapshot: Sendable, Equatable {
    /// Every offer, normalized. Offers whose GPU name the catalog does not know are kept, under
    /// the provider's name (``BrokerCore/GPUName/unknown(_:)``).
    public var offers: [Offer]
    /// Provider records that could not be turned into an offer (no price, no GPU count, ...), with
    /// the reason, so that a change in the provider's format shows up instead of vanishing.
    public var skipped: [SkippedRecord]

    public init(offers: [Offer], skipped: [SkippedRecord] = []) {
        self.offers = offers
        self.skipped = skipped
    }

    /// How many offers carry each GPU name the catalog does not know.
    public var unknownGPUNames: [String: Int] {
        offers.reduce(into: [:]) { counts, offer in
            if case .unknown(let name) = offer.gpu { counts[name, default: 0] += 1 }
        }
    }
}

/// A provider record left out of a snapshot, and why.
public struct SkippedRecord: Sendable, Equatable {
    /// The provider's identifier of the record, when it had one.
    public var nativeID: String?
    public var reason: String

    public init(nativeID: String?, reason: String) {
        self.nativeID = nativeID
        self.reason = reason
    }
}
