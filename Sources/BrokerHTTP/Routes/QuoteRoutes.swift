import Broker
import BrokerCore
import Hummingbird

/// `POST /v1/quotes`: a job spec in, ranked placements on the live market out.
struct QuoteRoutes {
    let market: LiveMarket
    let catalog: GPUCatalog
    let clock: any BrokerClock

    /// Job specs are small; anything larger is not one.
    static let maximumSpecBytes = 256 * 1024

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/quotes") { request, _ in
            let body = try await request.body.collect(upTo: Self.maximumSpecBytes)
            let spec: JobSpec
            do {
                spec = try JobSpec.decode(json: body.readableBytesView, catalog: catalog, now: clock.now)
            } catch let error as JobSpecError {
                throw ProblemDetails(
                    status: .badRequest, detail: "invalid job spec",
                    errors: error.errors.map { .init(field: $0.field, message: $0.message) })
            }
            let quote = PlacementPlanner(catalog: catalog).quote(spec, book: market.current, now: clock.now)
            return JSONResponse(QuoteResponse(quote))
        }
    }
}
