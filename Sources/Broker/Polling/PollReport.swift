import Foundation

/// What one poll of a provider did: for `POST /v1/admin/providers/{id}/poll` and the logs.
public struct PollReport: Sendable, Equatable {
    public var provider: String
    public var at: Date
    public var duration: Duration
    /// Offers the provider listed (and were stored).
    public var offers: Int
    /// Of those, offers whose GPU name the catalog does not know.
    public var unknownGPUOffers: Int
    /// Provider records that could not become offers.
    public var skipped: Int
    public var withdrawn: Int
    public var pricePointsRecorded: Int
    /// Why the poll failed; nil when it succeeded.
    public var error: String?

    public init(
        provider: String, at: Date, duration: Duration, offers: Int = 0, unknownGPUOffers: Int = 0, skipped: Int = 0,
        withdrawn: Int = 0, pricePointsRecorded: Int = 0, error: String? = nil
    ) {
        self.provider = provider
        self.at = at
        self.duration = duration
        self.offers = offers
        self.unknownGPUOffers = unknownGPUOffers
        self.skipped = skipped
        self.withdrawn = withdrawn
        self.pricePointsRecorded = pricePointsRecorded
        self.error = error
    }
}
