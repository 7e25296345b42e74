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

    /// One summary per (GPU, market) of `offers`, ordered by GPU name then market.
    static func summarize(_ offers: [Offer]) -> [GPUMarketSummary] {
        struct Key: Hashable {
            var gpu: String
            var market: Market
        }
        let grouped = Dictionary(grouping: offers) { Key(gpu: $0.gpu.name, market: $0.market) }
        return grouped.map { key, offers in
            let prices = offers.map(\.pricePerGPUHour.microdollars).sorted()
            let middle = prices.count / 2
            let median = prices.count % 2 == 1 ? prices[middle] : (prices[middle - 1] + prices[middle]) / 2
            return GPUMarketSummary(
                gpu: key.gpu, market: key.market, offers: prices.count,
                cheapestPerGPUHour: Money(microdollars: prices[0]), medianPerGPUHour: Money(microdollars: median))
        }.sorted { ($0.gpu, $0.market.rawValue) < ($1.gpu, $1.market.rawValue) }
    }
}
