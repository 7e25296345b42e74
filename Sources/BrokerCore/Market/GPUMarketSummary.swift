/// The market for one GPU model in one market: how many live offers, and their cheapest and
/// median price per GPU-hour.
public struct GPUMarketSummary: Sendable, Equatable {
    public var gpu: String
    public var market: Market
    public var offers: Int
    public var cheapestPerGPUHour: Money
    /// The middle price; with an even count, the mean of the two middle ones (rounded down).
    public var medianPerGPUHour: Money

    public init(gpu: String, market: Market, offers: Int, cheapestPerGPUHour: Money, medianPerGPUHour: Money) {
        self.gpu = gpu
        self.market = market
        self.offers = offers
        self.cheapestPerGPUHour = cheapestPerGPUHour
        self.medianPerGPUHour = medianPerGPUHour
    }

    /// One summary per market of one GPU's offers, given cheapest per GPU-hour first (the order
    /// the book keeps), so the cheapest and the median are read off without sorting.
    static func summaries(of sortedOffers: [Offer]) -> [GPUMarketSummary] {
        Market.allCases.compactMap { market in
            let prices = sortedOffers.lazy.filter { $0.market == market }.map(\.pricePerGPUHour.microdollars)
            guard let gpu = sortedOffers.first?.gpu.name, let cheapest = prices.first else { return nil }
            let sorted = Array(prices)
            let middle = sorted.count / 2
            let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            return GPUMarketSummary(
                gpu: gpu, market: market, offers: sorted.count, cheapestPerGPUHour: Money(microdollars: cheapest),
                medianPerGPUHour: Money(microdollars: median))
        }.sorted { $0.market.rawValue < $1.market.rawValue }
    }
}
