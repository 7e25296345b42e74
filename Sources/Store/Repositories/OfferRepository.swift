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
    /// Live offers matching `filter`, in its order, after `cursor`.
    func search(_ filter: OfferFilter, after cursor: OfferCursor?, limit: Int) async throws -> OfferPage
    /// Per GPU model and market: live offer count, cheapest and median price per GPU-hour.
    func gpuSummaries() async throws -> [GPUMarketSummary]
    /// Price points, oldest first.
    func priceHistory(_ query: PriceHistoryQuery) async throws -> [PricePoint]
    /// Live offers per provider.
    func liveOfferCounts() async throws -> [String: Int]
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

/// A position in a search's order: the sort key and id of the last offer of a page.
public struct OfferCursor: Sendable, Equatable {
    public var sortKey: Money
    public var offerID: String

    public init(sortKey: Money, offerID: String) {
        self.sortKey = sortKey
        self.offerID = offerID
    }

    /// An opaque token for `next_cursor`.
    public var token: String {
        Data("\(sortKey.microdollars):\(offerID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// Reads a token made by ``token``; nil for anything else.
    public init?(token: String) {
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":"), let micros = Int64(text[..<colon])
        else { return nil }
        self.init(sortKey: Money(microdollars: micros), offerID: String(text[text.index(after: colon)...]))
    }
}

/// One page of search results.
public struct OfferPage: Sendable, Equatable {
    public var offers: [Offer]
    /// Where the next page starts; nil on the last page.
    public var next: OfferCursor?

    public init(offers: [Offer], next: OfferCursor?) {
        self.offers = offers
        self.next = next
    }
}

/// The market for one GPU model in one market.
public struct GPUMarketSummary: Sendable, Equatable {
    public var gpu: String
    public var market: Market
    public var offers: Int
    public var cheapestPerGPUHour: Money
    public var medianPerGPUHour: Money

    public init(gpu: String, market: Market, offers: Int, cheapestPerGPUHour: Money, medianPerGPUHour: Money) {
        self.gpu = gpu
        self.market = market
        self.offers = offers
        self.cheapestPerGPUHour = cheapestPerGPUHour
        self.medianPerGPUHour = medianPerGPUHour
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

    public init(provider: String, gpu: String, region: String, market: Market, pricePerGPUHour: Money, recordedAt: Date) {
        self.provider = provider
        self.gpu = gpu
        self.region = region
        self.market = market
        self.pricePerGPUHour = pricePerGPUHour
        self.recordedAt = recordedAt
    }
}
