import Broker
import BrokerCore
import Hummingbird
import Store

/// Operators' owner pools: create, list, show, enable and disable, delete; and each pool's join
/// tokens: issue (the only answer that carries one), list, revoke.
struct AdminPoolRoutes {
    let pools: OwnerPools
    let catalog: GPUCatalog

    func register(on router: some RouterMethods<some RequestContext>) {
        let group = router.group("v1/admin/pools")
        group.get { _, _ in JSONResponse(PoolListResponse(pools: try await pools.all().map(PoolResponse.init))) }
        group.post { request, _ in
            var body = try await BodyReader.read(request)
            let id = body.string("id", required: true, maximumLength: 32)
            if let id, !ProviderIDSyntax.isValid(id) { body.report("id", "must be \(ProviderIDSyntax.rule)") }
            let name = body.string("name", required: true)
            let country = body.string("country", required: true, maximumLength: 2)
            if let country, country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                body.report("country", "must be an ISO 3166 alpha-2 code such as DE")
            }
            let region = body.string("region", required: true, maximumLength: 64)
            let market = body.choice("market", as: Market.self)
            if !body.has("market") { body.report("market", "is required (spot or on_demand)") }
            let notice = body.int("min_notice_s", range: 0...86_400)
            let price = body.dollars("price_per_gpu_hour")
            if !body.has("price_per_gpu_hour") { body.report("price_per_gpu_hour", "is required") }
            var prices: [String: Money] = [:]
            for (model, amount) in body.dollarsByName("gpu_prices") {
                guard let known = catalog.model(named: model) else {
                    body.report("gpu_prices.\(model)", "is not a GPU model of the catalog (such as A100-80GB)")
                    continue
                }
                prices[known.name] = amount
            }
            try body.finish()
            let terms = PoolTerms(
                market: market ?? .spot, minNoticeSeconds: notice ?? (market == .onDemand ? 0 : 300),
                defaultPricePerGPUHour: price ?? .zero, pricePerGPUHour: prices)
            let pool = try await pools.create(
                id: id ?? "", name: name ?? "", country: country ?? "", region: region ?? "", terms: terms)
            return JSONResponse(PoolResponse(pool), status: .created)
        }
        group.get(":id") { _, context in JSONResponse(PoolResponse(try await pool(context))) }
        group.delete(":id") { _, context in
            try await pools.delete(pool: try context.parameters.require("id"))
            return Response(status: .noContent)
        }
        group.post(":id/enable") { _, context in
            JSONResponse(PoolResponse(try await pools.setEnabled(true, pool: context.parameters.require("id"))))
        }
        group.post(":id/disable") { _, context in
            JSONResponse(PoolResponse(try await pools.setEnabled(false, pool: context.parameters.require("id"))))
        }
        group.get(":id/usage") { _, context in
            let id = try context.parameters.require("id")
            guard let earnings = try await pools.earnings(pool: id) else {
                throw ProblemDetails(status: .notFound, detail: "pool \(id) not found")
            }
            return JSONResponse(PoolUsageResponse(pool: id, earnings: earnings))
        }
        group.get(":id/join-tokens") { _, context in
            let tokens = try await pools.joinTokens(pool: context.parameters.require("id"))
            return JSONResponse(JoinTokenListResponse(tokens: tokens.map(JoinTokenResponse.init)))
        }
        group.post(":id/join-tokens") { request, context in
            var body = try await BodyReader.read(request)
            let name = body.string("name", required: true)
            try body.finish()
            let issued = try await pools.issueJoinToken(pool: context.parameters.require("id"), name: name ?? "")
            return JSONResponse(
                IssuedJoinTokenResponse(token: issued.token, info: JoinTokenResponse(issued.record)), status: .created)
        }
        router.post("v1/admin/join-tokens/:id/revoke") { _, context in
            JSONResponse(JoinTokenResponse(try await pools.revokeJoinToken(id: context.parameters.require("id"))))
        }
    }

    private func pool(_ context: some RequestContext) async throws -> PoolRecord {
        let id = try context.parameters.require("id")
        guard let pool = try await pools.pool(id: id) else {
            throw ProblemDetails(status: .notFound, detail: "pool \(id) not found")
        }
        return pool
    }
}
