import Broker
import BrokerCore
import Hummingbird
import Store

/// `/console/market`: the live market and its last day of prices.
struct MarketPageRoutes<Context: ConsoleRequestContext> {
    let market: LiveMarket
    let prices: PriceHistory
    let catalog: GPUCatalog
    let clock: any BrokerClock

    /// The window the price charts cover.
    static var chartWindow: Double { 24 * 3600 }

    func register(on router: Router<Context>) {
        router.get("console/market") { request, context in
            let user = try context.requireUser()
            let book = market.current
            let query = OfferQuery(FormFields(request.uri.query ?? ""), catalog: catalog)
            // The overview and the charts follow the GPU filter only: the other filters narrow the offers.
            let models = book.search(OfferFilter(gpus: query.filter.gpus), limit: max(book.count, 1)).offers
            let overview = MarketOverview.lines(models)
            let page = book.search(query.filter, after: query.cursor, limit: query.limit)
            let next = page.more ? page.offers.last.map { OfferCursor(after: $0, in: query.filter) } : nil
            let now = clock.now
            let since = now.addingTimeInterval(-Self.chartWindow)
            var charts: [(gpu: String, chart: PriceChart)] = []
            for gpu in Set(overview.map(\.gpu)).sorted() {
                let points = try await prices.points(
                    PriceHistoryQuery(gpu: gpu, market: query.filter.market, since: since, limit: 5000))
                // From the first price recorded, when that is within the window.
                let start = max(since, points.first?.recordedAt ?? since)
                charts.append((gpu, PriceChart(points: points, from: start, to: now)))
            }
            return ConsoleResponse.page(
                "Market", user: user, current: "/console/market",
                MarketPage.render(
                    .init(overview: overview, charts: charts, query: query, offers: page.offers, next: next)))
        }
    }
}
