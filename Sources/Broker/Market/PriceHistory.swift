import BrokerCore
import Store

/// Offers' prices over time, as the polls recorded them (a point per change, not per poll).
public struct PriceHistory: Sendable {
    private let offers: any OfferRepository

    public init(offers: any OfferRepository) {
        self.offers = offers
    }

    /// The points `query` asks for, oldest first.
    public func points(_ query: PriceHistoryQuery) async throws -> [PricePoint] {
        try await offers.priceHistory(query)
    }
}
