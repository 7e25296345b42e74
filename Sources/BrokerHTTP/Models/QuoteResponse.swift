import BrokerCore

/// `POST /v1/quotes`: ranked placements (money in decimal USD), or why there are none, as
/// clients read it back; the daemon writes it with ``QuoteJSON``.
public struct QuoteResponse: Codable, Sendable, Equatable {
    public struct PlacementResponse: Codable, Sendable, Equatable {
        public struct Node: Codable, Sendable, Equatable {
            public var rank: Int
            public var offer: OfferResponse
        }

        public var market: String
        public var gpu: String
        public var pricePerHour: Double
        public var estimatedHours: Double?
        public var estimatedCost: Double?
        public var nodes: [Node]

        enum CodingKeys: String, CodingKey {
            case market, gpu, nodes
            case pricePerHour = "price_per_hour"
            case estimatedHours = "estimated_hours"
            case estimatedCost = "estimated_cost"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(market, forKey: .market)
            try container.encode(gpu, forKey: .gpu)
            try container.encode(pricePerHour, forKey: .pricePerHour)
            try container.encode(estimatedHours, forKey: .estimatedHours)  // null without `work`
            try container.encode(estimatedCost, forKey: .estimatedCost)
            try container.encode(nodes, forKey: .nodes)
        }
    }

    public var placements: [PlacementResponse]
    public var reason: String?

    public init(_ quote: Quote) {
        placements = quote.placements.map { placement in
            PlacementResponse(
                market: placement.market.rawValue, gpu: placement.gpu.name,
                pricePerHour: placement.pricePerHour.dollars,
                estimatedHours: placement.estimatedHours.map { ($0 * 100).rounded() / 100 },
                estimatedCost: placement.estimatedCost?.dollars,
                nodes: placement.nodes.map { .init(rank: $0.rank, offer: OfferResponse($0.offer)) })
        }
        reason = quote.reason
    }

    enum CodingKeys: String, CodingKey {
        case placements, reason
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(placements, forKey: .placements)
        try container.encode(reason, forKey: .reason)  // null when there are placements
    }
}
