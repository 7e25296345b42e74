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
/// What happens by itself as time passes (spot zones running dry take their instances back,
/// simulated agents heartbeat and work) happens in ``advance()``, which `gridbroker sim` calls a
/// few times a second and tests call after moving the clock.
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

    /// Where reclaims with notice are announced; nil sends none.
    let notices: (any ReclaimNoticeSender)?
    /// Which spot zones have spot capacity when.
    let spotZones: SpotZones
    /// The nodes' agents, with `agents` given.
    let agents: SimulatedAgents?
    /// The nodes as real processes, with `execution` given.
    let nodes: NodeProcesses?

    /// Generates the market (100,000 offers take a few tens of milliseconds in a release build);
    /// the spot traces, if any, start at the clock's time now.
    public init(
        configuration: MarketConfiguration, clock: any BrokerClock = SystemClock(),
        notices: (any ReclaimNoticeSender)? = nil, agents: AgentSimulation? = nil, execution: NodeExecution? = nil
    ) {
        self.notices = notices
        self.configuration = configuration
        let market = SimulatedMarket(seed: configuration.seed, totalOffers: configuration.totalOffers)
        self.market = market
        self.faults = FaultBoard(seed: configuration.seed, plans: configuration.faults)
        self.clock = clock
        spotZones =
            configuration.spotReplay.map {
                SpotZones(zones: SpotZones.zones(of: market), replay: $0, start: clock.now.timeIntervalSince1970)
            } ?? SpotZones()
        self.instances = InstanceRegistry(
            seed: configuration.instanceIDSeed ?? configuration.seed, timings: configuration.instanceTimings,
            spotZones: spotZones)
        self.agents = agents.map(SimulatedAgents.init(simulation:))
        self.nodes = execution.map(NodeProcesses.init(execution:))
    }

    /// Brings what happens by itself up to the clock's time: spot instances in a zone whose trace
    /// runs dry within the notice are reclaimed when it does (announced now, like
    /// `POST /_sim/instances/…/reclaim?notice_s=…`), then the agents heartbeat and work. Returns
    /// what happened, for the log. Call it again only after it returned.
    public func advance() async -> [String] {
        let now = clock.now
        var notes: [String] = []
        if let replay = configuration.spotReplay {
            let time = now.timeIntervalSince1970
            for instance in instances.reclaimableSpotInstances() {
                guard let zone = instance.spotZone,
                    let outage = spotZones.nextOutage(zone, from: time, within: replay.noticeSeconds)
                else { continue }
                let notice = outage - time
                let what =
                    "spot zone \(zone) runs dry: \(instance.provider.rawValue) \(instance.id) reclaimed"
                    + (notice > 0 ? " in \(Int(notice.rounded())) s" : "")
                switch await reclaim(instance.provider, id: instance.id, notice: notice, at: now) {
                case .scheduled(let notified):
                    notes.append(what + (notified ? ", notice sent" : ""))
                case .noticeFailed(let error):
                    notes.append(what + "; the notice failed: \(error)")
                case .unknown:
                    break
                }
            }
        }
        if let agents {
            let time = clock.now.timeIntervalSince1970
            notes += await agents.step(instances.live(at: time), at: time)
        }
        if let nodes {
            let time = clock.now.timeIntervalSince1970
            notes += await nodes.step(
                SimulatedProvider.allCases.flatMap { instances.instances($0, at: time) }, at: time)
        }
        return notes
    }

    /// Kills what `--exec-nodes` runs, when the market shuts down.
    public func stopNodes() async {
        await nodes?.stopAll()
    }

    /// What a reclaim came to.
    enum ReclaimOutcome {
        /// The provider lists no such instance.
        case unknown
        case scheduled(notified: Bool)
        /// The instance will be taken, but its notice could not be delivered.
        case noticeFailed(any Error)
    }

    /// Takes `provider`'s instance `id` back `notice` seconds after `now` (at once for 0), announced
    /// to the notice sender when there is notice and a sender.
    func reclaim(_ provider: SimulatedProvider, id: String, notice: Double, at now: Date) async -> ReclaimOutcome {
        guard
            let (_, instance) = instances.terminate(provider, id: id, at: now.timeIntervalSince1970, after: notice)
        else { return .unknown }
        guard notice > 0, let notices else { return .scheduled(notified: false) }
        let nativeID = provider == .aws ? instance.region + "/" + instance.id : instance.id
        do {
            try await notices.send(
                ReclaimNotice(provider: provider, nativeID: nativeID, notBefore: now.addingTimeInterval(notice)))
            return .scheduled(notified: true)
        } catch {
            return .noticeFailed(error)
        }
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
        router.get("vast/api/v1/instances") { request, context in
            try await serve(.vast, request, context) { vast.listPage($0, at: $1) }
        }
        router.get("vast/api/v0/instances/filters") { request, context in
            try await serve(.vast, request, context) { vast.listFilters($0, at: $1) }
        }
        router.get("vast/api/v0/gpu_names/unique") { request, context in
            try await serve(.vast, request, context) { vast.gpuNames($0, at: $1) }
        }
        router.get("vast/api/v0/users/current") { request, context in
            try await serve(.vast, request, context) { vast.currentUser($0, at: $1) }
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
        router.get("lambda/api/v1/ssh-keys") { request, context in
            try await serve(.lambda, request, context) { lambda.sshKeys($0, at: $1) }
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
