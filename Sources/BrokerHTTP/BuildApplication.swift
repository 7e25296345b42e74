import Broker
import BrokerConsole
import BrokerCore
import Foundation
import Hummingbird
import Logging
import NodeAgent
import Prometheus
import ServiceLifecycle
import Store

/// What the HTTP layer serves from.
public struct APIDependencies: Sendable {
    public var store: BrokerStore
    public var metrics: PrometheusCollectorRegistry
    public var offers: any OfferRepository
    public var market: LiveMarket
    public var providers: any ProviderRepository
    public var pollers: PollerDirectory
    public var catalog: GPUCatalog
    /// What "now" is for every decision the API makes (deadlines, quotes).
    public var clock: any BrokerClock
    public var jobs: any JobRepository
    public var nodes: any NodeRepository
    /// How the API nudges the scheduler and the reconciler.
    public var fleet: FleetSignals
    public var webhooks: any WebhookRepository
    public var teams: any TeamRepository
    /// API tokens (as hashes): who may call what.
    public var tokens: any TokenRepository
    /// Who presented a token, from memory for up to a second; its last uses are written by a
    /// ``TokenUseRecorder`` among the daemon's services.
    public var authenticator: TokenAuthenticator
    /// Owner pools and their join tokens.
    public var pools: OwnerPools
    /// The pools' machines: registration, heartbeats, their offers.
    public var machines: PoolMachines
    /// Checks provider callbacks' signatures; nil when no secret is configured (the webhook
    /// endpoint then answers 503).
    public var webhookVerifier: WebhookVerifier?
    /// Each API token's request rate; over it, a 429 with `Retry-After`.
    public var rateLimit = TokenBucket.Limit(perSecond: 50, burst: 200)
    /// The node agent served at `GET /v1/agent/download`; nil answers 503.
    public var agent: AgentBinary?
    /// Nodes' output, as agents send it and `GET /v1/jobs/{id}/logs` serves it.
    public var nodeLogs: NodeLogStore
    /// Reads jobs' `dataset.manifest` at submit; nil refuses jobs that name one.
    public var manifests: DatasetManifests?
    /// How often a quiet `follow` of a job's logs gets a keep-alive comment.
    public var logKeepAlive: Duration = .seconds(10)
    /// The web console's logins.
    public var sessions: any SessionRepository

    /// Submitting and cancelling jobs, for the API and the console alike.
    public var jobControl: JobControl {
        JobControl(jobs: jobs, nodes: nodes, teams: teams, clock: clock, signals: fleet, manifests: manifests)
    }

    /// Reading jobs, for the API and the console alike.
    public var jobQueries: JobQueries {
        JobQueries(jobs: jobs, nodes: nodes, clock: clock)
    }

    /// What operators do to providers, for the API and the console alike.
    public var providerControl: ProviderControl {
        ProviderControl(providers: providers, pollers: pollers)
    }

    /// Interruption notices, from providers' webhooks and owner pools' machines.
    public var notices: InterruptionNotices {
        InterruptionNotices(providers: providers, webhooks: webhooks, clock: clock, signals: fleet)
    }

    /// The web console over the same services as the API.
    public var console: Console {
        Console(
            sessions: consoleSessions, market: market, prices: PriceHistory(offers: offers), catalog: catalog,
            clock: clock, jobs: jobQueries, control: jobControl, providers: providerControl, pools: pools,
            machines: machines)
    }

    /// The console's sessions service over ``sessions`` and ``tokens``.
    public var consoleSessions: ConsoleSessions {
        ConsoleSessions(sessions: sessions, tokens: tokens, clock: clock)
    }

    public init(
        store: BrokerStore, metrics: PrometheusCollectorRegistry, market: LiveMarket = LiveMarket(),
        offers: (any OfferRepository)? = nil, providers: (any ProviderRepository)? = nil,
        pollers: PollerDirectory = PollerDirectory([]), catalog: GPUCatalog = .standard,
        clock: any BrokerClock = SystemClock(), fleet: FleetSignals = .none, webhookVerifier: WebhookVerifier? = nil
    ) {
        self.store = store
        self.metrics = metrics
        self.offers = offers ?? store.offers(catalog: catalog)
        self.market = market
        self.providers = providers ?? store.providers
        self.pollers = pollers
        self.catalog = catalog
        self.clock = clock
        self.jobs = store.jobs
        self.nodes = store.nodes
        self.fleet = fleet
        self.webhooks = store.webhooks
        self.teams = store.teams
        self.tokens = store.tokens
        self.authenticator = TokenAuthenticator(tokens: tokens, clock: clock)
        self.sessions = store.sessions
        self.pools = OwnerPools(pools: store.pools, nodes: store.nodes, clock: clock)
        self.machines = PoolMachines(pools: store.pools, market: market, clock: clock, machineTimeout: .seconds(30))
        self.webhookVerifier = webhookVerifier
        self.nodeLogs = NodeLogStore(
            folder: FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-logs-\(UUID())"),
            maxBytesPerNode: 8 << 20, clock: clock)
    }
}

/// The router with every route and middleware; tests drive it without a socket.
///
/// Every route needs an API token (``TokenAuthMiddleware``) except the few it lets through.
public func buildRouter(_ dependencies: APIDependencies) -> Router<BrokerRequestContext> {
    let router = Router(context: BrokerRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BodyLimitMiddleware())
    router.add(
        middleware: TokenAuthMiddleware(
            authenticator: dependencies.authenticator, clock: dependencies.clock,
            rateLimiter: RequestRateLimiter(limit: dependencies.rateLimit), sessions: dependencies.consoleSessions))
    HealthRoutes(isReady: { [store = dependencies.store] in await store.isReady() }).register(on: router)
    MetricsRoutes(registry: dependencies.metrics).register(on: router)
    OpenAPIRoutes().register(on: router)
    OfferRoutes(
        market: dependencies.market, prices: PriceHistory(offers: dependencies.offers), catalog: dependencies.catalog
    )
    .register(on: router)
    QuoteRoutes(market: dependencies.market, catalog: dependencies.catalog, clock: dependencies.clock)
        .register(on: router)
    JobRoutes(
        jobs: dependencies.jobQueries, control: dependencies.jobControl,
        catalog: dependencies.catalog, specs: JobSpecCache(catalog: dependencies.catalog), clock: dependencies.clock
    ).register(on: router)
    AgentRoutes(
        reports: AgentReports(
            nodes: dependencies.nodes, jobs: dependencies.jobs, clock: dependencies.clock, signals: dependencies.fleet),
        catalog: dependencies.catalog, agent: dependencies.agent, logs: dependencies.nodeLogs
    ).register(on: router)
    LogRoutes(
        jobs: dependencies.jobQueries, logs: dependencies.nodeLogs,
        keepAlive: dependencies.logKeepAlive
    ).register(on: router)
    AdminProviderRoutes(
        providers: dependencies.providerControl,
        market: dependencies.market
    ).register(on: router)
    AdminTeamRoutes(teams: Teams(teams: dependencies.teams, clock: dependencies.clock)).register(on: router)
    AdminTokenRoutes(
        tokens: APITokens(
            tokens: dependencies.tokens, clock: dependencies.clock, authenticator: dependencies.authenticator)
    ).register(on: router)
    AdminPoolRoutes(pools: dependencies.pools, catalog: dependencies.catalog).register(on: router)
    HostRoutes(
        machines: dependencies.machines, catalog: dependencies.catalog, notices: dependencies.notices,
        clock: dependencies.clock
    ).register(on: router)
    AdminNodeRoutes(
        nodes: NodeControl(nodes: dependencies.nodes, clock: dependencies.clock, signals: dependencies.fleet),
        clock: dependencies.clock
    ).register(on: router)
    WebhookRoutes(verifier: dependencies.webhookVerifier, notices: dependencies.notices, clock: dependencies.clock)
        .register(on: router)
    dependencies.console.register(on: router)
    return router
}

/// The daemon: the HTTP API plus the broker's services in one `ServiceGroup`.
///
/// `services` are started before the server and shut down after it, in reverse order: list them
/// in dependency order (the database first).
public func buildApplication(
    configuration: BrokerConfiguration,
    dependencies: APIDependencies,
    services: [any Service],
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(dependencies),
        // A client that stops sending or reading mid-request is dropped instead of holding a connection.
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.server.idleTimeoutSeconds)))),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: "gridbroker/\(BrokerVersion.current)"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}
