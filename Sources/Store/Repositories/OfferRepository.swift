import BrokerCore
import Foundation

/// Where offers and their price history live.
public protocol OfferRepository: Sendable {
    /// Stores what one poll of a provider changed (``BrokerCore/OfferBook/updated(provider:listing:at:expiredBefore:)``
    /// works it out) in one transaction: upserts the new and changed offers (keeping when each was
    /// first seen), notes the listing's time, the offers it no longer lists and those withdrawn;
    /// after a poll that listed (`listing`: every offer it listed), records a price point for each
    /// (GPU, region, market) series whose cheapest price per GPU-hour changed.
    func ingest(_ changes: OfferChanges, listing: [Offer], provider: String, at now: Date) async throws
        -> IngestSummary
    /// Every live offer (not withdrawn), or one provider's: what the in-memory
    /// ``BrokerCore/OfferBook`` starts from, and what a broker that does not poll `provider` reads.
    func liveOffers(provider: String?) async throws -> [Offer]
    /// When each provider's last successful poll listed its offers.
    func listingTimes() async throws -> [String: Date]
    /// Price points, oldest first.
    func priceHistory(_ query: PriceHistoryQuery) async throws -> [PricePoint]
    /// The spot capacity points of the series of `gpus` (catalog names) with `gpuCount` GPUs per
    /// node recorded since `since`, oldest first (each is the series' node count until its next).
    func spotCapacity(gpus: [String], gpuCount: Int, since: Date) async throws -> [SpotCapacityPoint]
}

extension OfferRepository {
    /// Every live offer (not withdrawn).
    public func liveOffers() async throws -> [Offer] { try await liveOffers(provider: nil) }
}

/// What one ingest changed.
public struct IngestSummary: Sendable, Equatable {
    public var upserted: Int
    public var withdrawn: Int
    public var pricePointsRecorded: Int

    public init(upserted: Int, withdrawn: Int, pricePointsRecorded: Int) {
        self.upserted = upserted
        self.withdrawn = withdrawn
        self.pricePointsRecorded = pricePointsRecorded
    }
}

/// Which price series to read.
public struct PriceHistoryQuery: Sendable, Equatable {
    public var gpu: String
    public var provider: String?
    public var region: String?
    public var market: Market?
    public var since: Date?
    public var until: Date?
    public var limit: Int

    public init(
        gpu: String, provider: String? = nil, region: String? = nil, market: Market? = nil, since: Date? = nil,
        until: Date? = nil, limit: Int = 1000
    ) {
        self.gpu = gpu
        self.provider = provider
        self.region = region
        self.market = market
        self.since = since
        self.until = until
        self.limit = limit
    }
}

/// The cheapest price per GPU-hour of one series from `recordedAt` until the next point.
public struct PricePoint: Sendable, Equatable {
    public var provider: String
    public var gpu: String
    public var region: String
    public var market: Market
    public var pricePerGPUHour: Money
    public var recordedAt: Date

    public init(provider: String, gpu: String, region: String, market: Market, pricePerGPUHour: Money, recordedAt: Date)
    {
        self.provider = provider
        self.gpu = gpu
        self.region = region
        self.market = market
        self.pricePerGPUHour = pricePerGPUHour
        self.recordedAt = recordedAt
    }
}
