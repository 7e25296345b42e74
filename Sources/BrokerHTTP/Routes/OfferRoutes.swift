import Broker
import BrokerCore
import Hummingbird
import Store

/// The market as teams see it: `GET /v1/offers`, `GET /v1/gpus`, `GET /v1/prices/history`.
struct OfferRoutes {
    let market: LiveMarket
    let offers: any OfferRepository
    let catalog: GPUCatalog

    func register(on router: some RouterMethods<some RequestContext>) {
        router.get("v1/offers") { request, _ in try search(request) }
        router.get("v1/gpus") { _, _ in
            JSONResponse(GPUListResponse(summaries: market.current.summaries, catalog: catalog))
        }
        router.get("v1/prices/history") { request, _ in try await history(request) }
    }

    private func search(_ request: Request) throws -> JSONResponse<OfferListResponse> {
        var query = QueryReader(request)
        var filter = OfferFilter()
        filter.gpus = gpuNames(&query)
        filter.minGPUs = query.integer("min_gpus", in: 1...1024)
        filter.minGPUMemoryGB = query.integer("min_gpu_memory_gb", in: 0...100_000)
        filter.market = query.choice("market")
        filter.maxPricePerHour = query.dollars("max_price")
        // Checked before uppercasing, which turns "ß" into "SS".
        filter.countries = query.list("country").map { countries in
            Set(
                countries.filter { code in
                    let valid = code.count == 2 && code.allSatisfy { $0.isASCII && $0.isLetter }
                    if !valid { query.report("country", "'\(code)' is not an ISO 3166 alpha-2 code such as DE") }
                    return valid
                }.map { $0.uppercased() })
        }
        // One region, verbatim: providers' region names may hold commas (Vast's "Utah, US").
        filter.regions = query.string("region").map { [$0] }
        filter.providers = query.list("provider").map(Set.init)
        filter.sort = query.choice("sort") ?? .price
        let limit = query.integer("limit", in: 1...1000) ?? 100
        let cursor = query.string("cursor").flatMap { token in
            let cursor = OfferCursor(token: token)
            if cursor == nil { query.report("cursor", "is not a cursor this API gave out") }
            return cursor
        }
        try query.finish()
        let page = market.current.search(filter, after: cursor, limit: limit)
        let next = page.more ? page.offers.last.map { OfferCursor(after: $0, in: filter).token } : nil
        return JSONResponse(OfferListResponse(offers: page.offers.map(OfferResponse.init), nextCursor: next))
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
        return JSONResponse(PriceHistoryResponse(points: try await offers.priceHistory(history)))
    }

    /// `gpu=H100,A100-80GB`: each a canonical model or a family; an unknown one is an error.
    private func gpuNames(_ query: inout QueryReader) -> Set<String>? {
        guard let names = query.list("gpu") else { return nil }
        var selected: Set<String> = []
        for name in names {
            let models = catalog.models(matching: name)
            if models.isEmpty { query.report("gpu", "unknown GPU model or family '\(name)'") }
            selected.formUnion(models.map(\.name))
        }
        return selected
    }
}
