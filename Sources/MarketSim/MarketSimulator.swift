import BrokerCore
import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The simulated GPU market: each provider's pricing API in its real wire format, under
/// `/<provider>/` followed by the real API's path, plus a control API under `/_sim/`.
///
/// The market is generated once, deterministically from the seed; prices and capacity at any
/// moment are a function of (seed, offer, clock time), so a ``ManualClock`` lets tests watch prices
/// move without waiting, and two simulators with the same seed at the same time answer alike.
///
/// ```swift
/// let simulator = MarketSimulator(configuration: MarketConfiguration(seed: 1, totalOffers: 100_000))
/// let app = Application(router: simulator.buildRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 9400)))
/// ```
public struct MarketSimulator: Sendable {
    public let configuration: MarketConfiguration
    let market: SimulatedMarket
    let faults: FaultBoard
    let clock: any BrokerClock
    /// The instances launched on every provider.
    let instances: InstanceRegistry

    /// Generates the market (100,000 offers take a few tens of milliseconds in a release build).
    /// Where reclaims with notice are announced; nil sends none.
    let notices: (any ReclaimNoticeSender)?

    public init(
        configuration: MarketConfiguration, clock: any BrokerClock = SystemClock(),
        notices: (any ReclaimNoticeSender)? = nil
    ) {
        self.notices = notices
        self.configuration = configuration
        self.market = SimulatedMarket(seed: configuration.seed, totalOffers: configuration.totalOffers)
        self.faults = FaultBoard(seed: configuration.seed, plans: configuration.faults)
        self.clock = clock
        self.instances = InstanceRegistry(seed: configuration.seed, timings: configuration.instanceTimings)
    }

    /// Offers per provider, for `gridbroker sim` to print.
    public var summary: MarketSummary {
        MarketSummary(seed: configuration.seed, offers: market.offerCounts)
    }

    /// The fault plan `provider` currently applies.
    public func faultPlan(for provider: SimulatedProvider) -> FaultPlan {
        faults.plan(for: provider)
    }

    /// Replaces the fault plan of `provider` (``FaultPlan/none`` clears it).
    public func setFaultPlan(_ plan: FaultPlan, for provider: SimulatedProvider) {
        faults.set(plan, for: provider)
    }

    /// A router serving every provider and the control API.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router()
        addRoutes(to: router)
        return router
    }

    /// Adds the providers' and the control API's routes to an existing router.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let vast = VastResponder(market: market.vast, instances: instances)
        let runpod = RunPodResponder(market: market.runpod, instances: instances)
        let lambda = LambdaResponder(market: market.lambda, instances: instances)
        let aws = AWSResponder(market: market.aws, seed: configuration.seed, instances: instances)
        let shadeform = ShadeformResponder(market: market.shadeform, instances: instances)

        for method in [HTTPRequest.Method.post, .get] {
            router.on("vast/api/v0/bundles", method: method) { request, context in
                try await serve(.vast, request, context) { vast.search($0, at: $1) }
            }
            router.on("runpod/graphql", method: method) { request, context in
                try await serve(.runpod, request, context) { runpod.graphql($0, at: $1) }
            }
            router.on("aws/:region", method: method) { request, context in
                let region = context.parameters.get("region")
                return try await serve(.aws, request, context) { aws.handle($0, region: region, at: $1) }
            }
            router.on("aws", method: method) { request, context in
                try await serve(.aws, request, context) { aws.handle($0, region: nil, at: $1) }
            }
        }
        router.put("vast/api/v0/search/asks") { request, context in
            try await serve(.vast, request, context) { vast.search($0, at: $1) }
        }
        router.get("lambda/api/v1/instance-types") { request, context in
            try await serve(.lambda, request, context) { lambda.instanceTypes($0, at: $1) }
        }
        router.get("shadeform/v1/instances/types") { request, context in
            try await serve(.shadeform, request, context) { shadeform.instanceTypes($0, at: $1) }
        }
        addInstanceRoutes(to: router)
        ControlRoutes(simulator: self).add(to: router)
    }

    /// The providers' instance APIs (create, list, terminate); RunPod's and AWS's share the
    /// pricing endpoints above.
    private func addInstanceRoutes<Context: RequestContext>(to router: Router<Context>) {
        let vast = VastInstances(market: market.vast, instances: instances)
        let lambda = LambdaInstances(market: market.lambda, instances: instances)
        let shadeform = ShadeformInstances(market: market.shadeform, instances: instances)

        router.put("vast/api/v0/asks/:id") { request, context in
            let id = context.parameters.get("id")
            return try await serve(.vast, request, context) { vast.create(askID: id, $0, at: $1) }
        }
        router.get("vast/api/v0/instances") { request, context in
            try await serve(.vast, request, context) { vast.list($0, at: $1) }
        }
        router.delete("vast/api/v0/instances/:id") { request, context in
            let id = context.parameters.get("id")
            return try await serve(.vast, request, context) { vast.destroy(id: id, $0, at: $1) }
        }
        router.post("lambda/api/v1/instance-operations/launch") { request, context in
            try await serve(.lambda, request, context) { lambda.launch($0, at: $1) }
        }
        router.post("lambda/api/v1/instance-operations/terminate") { request, context in
            try await serve(.lambda, request, context) { lambda.terminate($0, at: $1) }
        }
        router.get("lambda/api/v1/instances") { request, context in
            try await serve(.lambda, request, context) { lambda.list($0, at: $1) }
        }
        router.get("lambda/api/v1/instances/:id") { request, context in
            let id = context.parameters.get("id")
            return try await serve(.lambda, request, context) { lambda.get(id: id, $0, at: $1) }
        }
        router.post("shadeform/v1/instances/create") { request, context in
            try await serve(.shadeform, request, context) { shadeform.create($0, at: $1) }
        }
        router.get("shadeform/v1/instances") { request, context in
            try await serve(.shadeform, request, context) { shadeform.list($0, at: $1) }
        }
        router.get("shadeform/v1/instances/:id/info") { request, context in
            let id = context.parameters.get("id")
            return try await serve(.shadeform, request, context) { shadeform.info(id: id, $0, at: $1) }
        }
        router.post("shadeform/v1/instances/:id/delete") { request, context in
            let id = context.parameters.get("id")
            return try await serve(.shadeform, request, context) { shadeform.delete(id: id, $0, at: $1) }
        }
    }

    /// Reads the request, runs `respond` at the clock's time inside the provider's fault plan,
    /// and turns the reply into a response.
    private func serve<Context: RequestContext>(
        _ provider: SimulatedProvider, _ request: Request, _ context: Context,
        _ respond: (ProviderRequest, Double) -> ProviderReply
    ) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: max(context.maxUploadSize, 4 << 20))
        let input = ProviderRequest(
            method: request.method,
            query: FormDecoding.pairs(request.uri.query ?? ""),
            headers: request.headers,
            body: Array(body.readableBytesView)
        )
        let injector = FaultInjector(provider: provider, board: faults)
        let reply = try await injector.run { plan in
            var input = input
            input.refusesLaunches = plan.noCapacity
            return respond(input, clock.now.timeIntervalSince1970)
        }
        return Self.response(reply)
    }

    static func response(_ reply: ProviderReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        if let retryAfter = reply.retryAfter {
            headers[.retryAfter] = String(retryAfter)
        }
        return Response(
            status: reply.status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
