import BrokerCore
import Foundation
import Store

/// `GET /v1/gpus`: per GPU model, its market by market kind.
public struct GPUListResponse: Codable, Sendable, Equatable {
    public struct GPU: Codable, Sendable, Equatable {
        /// Offers, cheapest and median price per GPU-hour, in one market.
        public struct MarketStats: Codable, Sendable, Equatable {
            public var offers: Int
            public var cheapestPerGPUHour: Double
            public var medianPerGPUHour: Double

            public enum CodingKeys: String, CodingKey {
                case offers
                case cheapestPerGPUHour = "cheapest_per_gpu_hour"
                case medianPerGPUHour = "median_per_gpu_hour"
            }
        }

        public var gpu: String
        /// nil for a name the catalog does not know.
        public var family: String?
        public var memoryGB: Int?
        public var relativeSpeed: Double?
        public var offers: Int
        public var markets: [String: MarketStats]

        public enum CodingKeys: String, CodingKey {
            case gpu, family, offers, markets
            case memoryGB = "memory_gb"
            case relativeSpeed = "relative_speed"
        }
    }

    public var gpus: [GPU]

    public init(summaries: [GPUMarketSummary], catalog: GPUCatalog) {
        var byGPU: [String: GPU] = [:]
        for summary in summaries {
            let model = catalog.model(named: summary.gpu).flatMap { $0.name == summary.gpu ? $0 : nil }
            var entry =
                byGPU[summary.gpu]
                ?? GPU(
                    gpu: summary.gpu, family: model?.family, memoryGB: model?.memoryGB,
                    relativeSpeed: model?.relativeSpeed, offers: 0, markets: [:])
            entry.offers += summary.offers
            entry.markets[summary.market.rawValue] = GPU.MarketStats(
                offers: summary.offers, cheapestPerGPUHour: summary.cheapestPerGPUHour.dollars,
                medianPerGPUHour: summary.medianPerGPUHour.dollars)
            byGPU[summary.gpu] = entry
        }
        gpus = byGPU.values.sorted { $0.gpu < $1.gpu }
    }
}

/// `GET /v1/prices/history`.
public struct PriceHistoryResponse: Codable, Sendable, Equatable {
    public struct Point: Codable, Sendable, Equatable {
        public var provider: String
        public var gpu: String
        public var region: String
        public var market: String
        public var pricePerGPUHour: Double
        public var recordedAt: Date

        public enum CodingKeys: String, CodingKey {
            case provider, gpu, region, market
            case pricePerGPUHour = "price_per_gpu_hour"
            case recordedAt = "recorded_at"
        }
    }

    public var points: [Point]

    public init(points: [PricePoint]) {
        self.points = points.map {
            Point(
                provider: $0.provider, gpu: $0.gpu, region: $0.region, market: $0.market.rawValue,
                pricePerGPUHour: $0.pricePerGPUHour.dollars, recordedAt: $0.recordedAt)
        }
    }
}
