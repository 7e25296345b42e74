import Broker
import BrokerCore
import Hummingbird

/// `POST /v1/quotes`: a job spec in, ranked placements on the live market out.
struct QuoteRoutes {
    let market: LiveMarket
    let catalog: GPUCatalog
    let clock: any BrokerClock

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/quotes") { request, _ in
            let body = try await JobSpecBody.read(request, catalog: catalog, now: clock.now)
            let quote = PlacementPlanner(catalog: catalog).quote(body.spec, book: market.current, now: clock.now)
            return JSONResponse(written: QuoteJSON(quote: quote))
        }
    }
}
