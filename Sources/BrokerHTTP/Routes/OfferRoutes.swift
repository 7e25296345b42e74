import Broker
import BrokerCore
import Hummingbird
import Store

/// The market as teams see it: `GET /v1/offers`, `GET /v1/gpus`, `GET /v1/prices/history`.
struct OfferRoutes {
    let market: LiveMarket
    let prices: PriceHistory
    let catalog: GPUCatalog

    func register(on router: some RouterMethods<some RequestContext>) {
        router.get("v1/offers") { request, _ in try search(request) }
        router.get("v1/gpus") { _, _ in
            JSONResponse(GPUListResponse(summaries: market.current.summaries, catalog: catalog))
        }
        router.get("v1/prices/history") { request, _ in try await history(request) }
    }

    private func search(_ request: Request) throws -> JSONResponse<OfferPageJSON> {
        var query = QueryReader(request)
        var values: [String: String] = [:]
        for name in OfferSearchQuery.parameters { values[name] = query.string(name) }
        let search = OfferSearchQuery(values, catalog: catalog)
        for problem in search.problems { query.report(problem.field, problem.message) }
        try query.finish()
        let page = market.current.search(search.filter, after: search.cursor, limit: search.limit)
        let next = page.more ? page.last.map { OfferCursor(after: $0, in: search.filter).token } : nil
        return JSONResponse(written: OfferPageJSON(page: page, nextCursor: next))
    }

    private func history(_ request: Request) async throws -> JSONResponse<PriceHistoryResponse> {
        var query = QueryReader(request)
        let gpu = query.string("gpu")
        let model = gpu.flatMap { catalog.model(named: $0) }
        if gpu == nil {
            query.report("gpu", "is required: one GPU model such as H100-SXM")
        } else if model == nil {
            query.report("gpu", "unknown GPU model '\(gpu ?? "")'")
        }
        var history = PriceHistoryQuery(gpu: model?.name ?? "")
        history.provider = query.string("provider")
        history.region = query.string("region")
        history.market = query.choice("market")
        history.since = query.date("since")
        history.until = query.date("until")
        history.limit = query.integer("limit", in: 1...10_000) ?? 1000
        try query.finish()
        return JSONResponse(PriceHistoryResponse(points: try await prices.points(history)))
    }
}
