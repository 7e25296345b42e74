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

    /// One summary per market of GPU `gpu`'s offers, given as slots of `offers` cheapest per
    /// GPU-hour first (the order the book keeps), so the cheapest and the median are read off
    /// without sorting, and no offer is copied.
    static func summaries(gpu: String, byPricePerGPU slots: [Int32], in offers: UnsafeBufferPointer<Offer>)
        -> [GPUMarketSummary]
    {
        Market.allCases.compactMap { market in
            let prices = slots.filter { offers[Int($0)].market == market }.map {
                offers[Int($0)].pricePerGPUHour.microdollars
            }
            guard let cheapest = prices.first else { return nil }
            let middle = prices.count / 2
            let median = prices.count % 2 == 1 ? prices[middle] : (prices[middle - 1] + prices[middle]) / 2
            return GPUMarketSummary(
                gpu: gpu, market: market, offers: prices.count, cheapestPerGPUHour: Money(microdollars: cheapest),
                medianPerGPUHour: Money(microdollars: median))
        }.sorted { $0.market.rawValue < $1.market.rawValue }
    }
}
