import Broker
import BrokerCore
import Hummingbird
import Store

/// `/console/market`: the live market and its last day of prices.
struct MarketPageRoutes<Context: ConsoleRequestContext> {
    let market: LiveMarket
    let offers: any OfferRepository
    let catalog: GPUCatalog
    let clock: any BrokerClock

    /// The window the price charts cover.
    static var chartWindow: Double { 24 * 3600 }

    func register(on router: Router<Context>) {
        router.get("console/market") { request, context in
            let user = try context.requireUser()
            let book = market.current
            let query = OfferQuery(FormFields(request.uri.query ?? ""), catalog: catalog)
            let everything = book.search(OfferFilter(sort: .pricePerGPU), limit: max(book.count, 1)).offers
            let overview = MarketOverview.lines(everything)
            let page = book.search(query.filter, after: query.cursor, limit: query.limit)
            let next = page.more ? page.offers.last.map { OfferCursor(after: $0, in: query.filter) } : nil
            let now = clock.now
            let since = now.addingTimeInterval(-Self.chartWindow)
            var charts: [(gpu: String, chart: PriceChart)] = []
            for gpu in Set(overview.map(\.gpu)).sorted() where query.filter.gpus?.contains(gpu) ?? true {
                let points = try await offers.priceHistory(PriceHistoryQuery(gpu: gpu, since: since, limit: 5000))
                charts.append((gpu, PriceChart(points: points, from: since, to: now)))
            }
            return ConsoleResponse.page(
                "Market", user: user, current: "/console/market",
                MarketPage.render(
                    .init(overview: overview, charts: charts, query: query, offers: page.offers, next: next)))
        }
    }
}
