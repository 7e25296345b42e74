import BrokerCore
import Foundation

/// Where offers and their price history live.
public protocol OfferRepository: Sendable {
    /// Stores one poll of a provider in one transaction: upserts every offer (keeping when it was
    /// first seen), withdraws the provider's offers not seen since `expiredBefore`, and records a
    /// price point for each (GPU, region, market) series whose cheapest price per GPU-hour changed.
    func ingest(_ offers: [Offer], provider: String, at now: Date, expiredBefore: Date) async throws -> IngestSummary
    /// Withdraws the provider's live offers last seen before `cutoff` (a failing provider's offers
    /// must not stay forever). Returns how many.
    func withdrawExpired(provider: String, before cutoff: Date, at now: Date) async throws -> Int
    /// Every live offer (not withdrawn): what the in-memory ``BrokerCore/OfferBook`` starts from.
    func liveOffers() async throws -> [Offer]
    /// Price points, oldest first.
    func priceHistory(_ query: PriceHistoryQuery) async throws -> [PricePoint]
    /// The spot capacity points of the series of `gpus` (catalog names) with `gpuCount` GPUs per
    /// node recorded since `since`, oldest first (each is the series' node count until its next).
    func spotCapacity(gpus: [String], gpuCount: Int, since: Date) async throws -> [SpotCapacityPoint]
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
