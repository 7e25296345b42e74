import BrokerCore
import Foundation

/// An offer as the API shows it (money in decimal USD), as clients read it back; the daemon
/// writes it straight from the ``Offer`` (``JSONWriter/offer(_:)``).
public struct OfferResponse: Codable, Sendable, Equatable {
    public var id: String
    public var provider: String
    public var gpu: String
    public var gpuCount: Int
    public var gpuMemoryGB: Int
    public var interconnect: String?
    public var vcpus: Int
    public var memoryGB: Int
    public var diskGB: Int
    public var region: String
    public var country: String?
    public var market: String
    public var pricePerHour: Double
    public var pricePerGPUHour: Double
    public var available: Int
    public var reliability: Double?
    public var lastSeenAt: Date

    public init(_ offer: Offer) {
        id = offer.id.description
        provider = offer.providerID
        gpu = offer.gpu.name
        gpuCount = offer.gpuCount
        gpuMemoryGB = offer.gpuMemoryGB
        interconnect = offer.interconnect
        vcpus = offer.vcpus
        memoryGB = offer.memoryGB
        diskGB = offer.diskGB
        region = offer.region
        country = offer.country
        market = offer.market.rawValue
        pricePerHour = offer.pricePerHour.dollars
        pricePerGPUHour = offer.pricePerGPUHour.dollars
        available = offer.available
        reliability = offer.reliability
        lastSeenAt = offer.lastSeenAt
    }

    public enum CodingKeys: String, CodingKey {
        case id, provider, gpu, interconnect, vcpus, region, country, market, available, reliability
        case gpuCount = "gpu_count"
        case gpuMemoryGB = "gpu_memory_gb"
        case memoryGB = "memory_gb"
        case diskGB = "disk_gb"
        case pricePerHour = "price_per_hour"
        case pricePerGPUHour = "price_per_gpu_hour"
        case lastSeenAt = "last_seen_at"
    }
}

/// `GET /v1/offers`.
public struct OfferListResponse: Codable, Sendable, Equatable {
    public var offers: [OfferResponse]
    public var nextCursor: String?

    public enum CodingKeys: String, CodingKey {
        case offers
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(offers, forKey: .offers)
        try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page, not absent
    }
}
