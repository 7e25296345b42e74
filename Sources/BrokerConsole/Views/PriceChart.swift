import BrokerCore
import Foundation
import Store

/// A GPU's price history as an SVG line chart: one line per provider, the provider's cheapest
/// price per GPU-hour across its series (regions, markets) at each moment, held until it changes
/// (a step line) and drawn up to the chart's end.
public struct PriceChart: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
    }

    public struct Series: Sendable, Equatable {
        public var provider: String
        public var points: [Point]
        /// The provider's cheapest price at the chart's end.
        public var last: Money
    }

    public var width: Double
    public var height: Double
    /// The space left around the plot for the axes' labels.
    public var padding: Double
    public var series: [Series]
    /// The price range of the vertical axis.
    public var low: Money
    public var high: Money
    public var start: Date
    public var end: Date

    /// The chart of `points` (one GPU's history, oldest first) between `start` and `end`.
    public init(
        points: [PricePoint], from start: Date, to end: Date, width: Double = 420, height: Double = 180,
        padding: Double = 36
    ) {
        self.width = width
        self.height = height
        self.padding = padding
        self.start = start
        self.end = max(end, start.addingTimeInterval(1))
        self.series = []
        let steps = Self.steps(points.filter { $0.recordedAt >= start && $0.recordedAt <= end })
        let prices = steps.values.flatMap { $0.map(\.price.microdollars) }
        low = Money(microdollars: prices.min() ?? 0)
        high = Money(microdollars: max(prices.max() ?? 0, (prices.min() ?? 0) + 1))
        for (provider, changes) in steps.sorted(by: { $0.key < $1.key }) {
            guard let last = changes.last else { continue }
            var plotted: [Point] = []
            for (index, change) in changes.enumerated() {
                if index > 0 { plotted.append(point(at: change.at, changes[index - 1].price)) }
                plotted.append(point(at: change.at, change.price))
            }
            plotted.append(point(at: self.end, last.price))
            series.append(Series(provider: provider, points: plotted, last: last.price))
        }
    }

    /// Per provider, its cheapest price across its series after each point, oldest first.
    static func steps(_ points: [PricePoint]) -> [String: [(at: Date, price: Money)]] {
        struct SeriesKey: Hashable {
            var region: String
            var market: Market
        }
        var latest: [String: [SeriesKey: Money]] = [:]
        var steps: [String: [(at: Date, price: Money)]] = [:]
        for point in points.sorted(by: { $0.recordedAt < $1.recordedAt }) {
            latest[point.provider, default: [:]][SeriesKey(region: point.region, market: point.market)] =
                point.pricePerGPUHour
            guard let cheapest = latest[point.provider]?.values.min() else { continue }
            var changes = steps[point.provider] ?? []
            // Points of one poll share a time: only where the provider stands after them counts.
            if changes.last?.at == point.recordedAt { changes.removeLast() }
            if changes.last?.price != cheapest { changes.append((point.recordedAt, cheapest)) }
            steps[point.provider] = changes
        }
        return steps
    }

    private func point(at date: Date, _ price: Money) -> Point {
        let plotWidth = width - 2 * padding
        let plotHeight = height - 2 * padding
        let x = padding + date.timeIntervalSince(start) / end.timeIntervalSince(start) * plotWidth
        let range = Double(high.microdollars - low.microdollars)
        let y = height - padding - Double(price.microdollars - low.microdollars) / range * plotHeight
        return Point(x: Geometry.rounded(x), y: Geometry.rounded(y))
    }
}
