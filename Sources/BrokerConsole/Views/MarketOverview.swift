import BrokerCore

/// The market at a glance: per GPU model, each provider's offers in each market with their
/// cheapest and median price per GPU-hour.
public enum MarketOverview {
    public struct Line: Sendable, Equatable {
        public var gpu: String
        public var provider: String
        public var market: Market
        public var offers: Int
        public var cheapestPerGPUHour: Money
        /// The middle price; with an even count, the mean of the two middle ones (rounded down),
        /// as `GET /v1/gpus` counts it.
        public var medianPerGPUHour: Money
    }

    /// A provider's offers of one GPU, market by market: a row of the overview table.
    public struct Row: Sendable, Equatable {
        public var gpu: String
        public var provider: String
        public var byMarket: [Market: Line]
    }

    /// The lines as rows per (GPU, provider): by GPU, then the provider's cheapest in any market.
    public static func rows(_ lines: [Line]) -> [Row] {
        let groups = Dictionary(grouping: lines) { [$0.gpu, $0.provider] }
        return groups.map { key, lines in
            Row(
                gpu: key[0], provider: key[1], byMarket: Dictionary(lines.map { ($0.market, $0) }) { first, _ in first }
            )
        }.sorted { a, b in
            let cheapest = { (row: Row) in row.byMarket.values.map(\.cheapestPerGPUHour.microdollars).min() ?? 0 }
            return (a.gpu, cheapest(a), a.provider) < (b.gpu, cheapest(b), b.provider)
        }
    }

    private struct Key: Hashable {
        var gpu: String
        var provider: String
        var market: Market
    }

    /// One line per (GPU, provider, market) of `offers`, by GPU, then market, then cheapest.
    public static func lines(_ offers: [Offer]) -> [Line] {
        let groups = Dictionary(grouping: offers) { Key(gpu: $0.gpu.name, provider: $0.providerID, market: $0.market) }
        return groups.map { key, offers in
            let prices = offers.map(\.pricePerGPUHour.microdollars).sorted()
            let middle = prices.count / 2
            let median = prices.count % 2 == 1 ? prices[middle] : (prices[middle - 1] + prices[middle]) / 2
            return Line(
                gpu: key.gpu, provider: key.provider, market: key.market, offers: prices.count,
                cheapestPerGPUHour: Money(microdollars: prices[0]), medianPerGPUHour: Money(microdollars: median))
        }.sorted {
            ($0.gpu, $0.market.rawValue, $0.cheapestPerGPUHour.microdollars, $0.provider)
                < ($1.gpu, $1.market.rawValue, $1.cheapestPerGPUHour.microdollars, $1.provider)
        }
    }
}
