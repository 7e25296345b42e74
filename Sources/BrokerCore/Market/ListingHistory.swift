/// What a provider's listing adds to the market's history: a price point for each (GPU, region,
/// market) series whose cheapest price per GPU-hour changed since its last point, and a spot
/// capacity point for each (GPU, GPU count, region) spot series whose node count changed (a
/// series the listing no longer has drops to 0). The store reads the last points and writes these.
public enum ListingHistory {
    /// A price series of one provider.
    public struct PriceSeries: Sendable, Hashable {
        public var gpu: String
        public var region: String
        public var market: Market

        public init(gpu: String, region: String, market: Market) {
            self.gpu = gpu
            self.region = region
            self.market = market
        }
    }

    /// A spot capacity series of one provider.
    public struct CapacitySeries: Sendable, Hashable {
        public var gpu: String
        public var gpuCount: Int
        public var region: String

        public init(gpu: String, gpuCount: Int, region: String) {
            self.gpu = gpu
            self.gpuCount = gpuCount
            self.region = region
        }
    }

    /// The price points `listing` adds to series whose last prices (micro-USD per GPU-hour) are
    /// `latest`.
    public static func pricePoints(of listing: [Offer], latest: [PriceSeries: Int64]) -> [PriceSeries: Int64] {
        var cheapest: [PriceSeries: Int64] = [:]
        for offer in listing {
            let key = PriceSeries(gpu: offer.gpu.name, region: offer.region, market: offer.market)
            let price = offer.pricePerGPUHour.microdollars
            if let known = cheapest[key], known <= price { continue }
            cheapest[key] = price
        }
        return cheapest.filter { latest[$0.key] != $0.value }
    }

    /// The spot capacity points `listing` adds to series whose last counts are `latest`.
    public static func capacityPoints(of listing: [Offer], latest: [CapacitySeries: Int]) -> [CapacitySeries: Int] {
        var counts: [CapacitySeries: Int] = [:]
        for offer in listing where offer.market == .spot {
            counts[CapacitySeries(gpu: offer.gpu.name, gpuCount: offer.gpuCount, region: offer.region), default: 0] +=
                offer.available
        }
        for series in latest.keys where counts[series] == nil { counts[series] = 0 }
        return counts.filter { latest[$0.key] != $0.value }
    }
}
