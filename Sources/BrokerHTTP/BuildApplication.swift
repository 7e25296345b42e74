import Broker
import BrokerCore
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Store

/// What the HTTP layer serves from.
public struct APIDependencies: Sendable {
    public var database: BrokerDatabase
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
    /// Checks provider callbacks' signatures; nil when no secret is configured (the webhook
    /// endpoint then answers 503).
    public var webhookVerifier: WebhookVerifier?
    /// Each API token's request rate; over it, a 429 with `Retry-After`.
    public var rateLimit = TokenBucket.Limit(perSecond: 50, burst: 200)

    public init(
        database: BrokerDatabase, metrics: PrometheusCollectorRegistry, market: LiveMarket = LiveMarket(),
        offers: (any OfferRepository)? = nil, providers: (any ProviderRepository)? = nil,
        pollers: PollerDirectory = PollerDirectory([]), catalog: GPUCatalog = .standard,
        clock: any BrokerClock = SystemClock(), fleet: FleetSignals = .none, webhookVerifier: WebhookVerifier? = nil
    ) {
        self.database = database
        self.metrics = metrics
        self.offers = offers ?? SQLiteOfferRepository(database: database, catalog: catalog)
        self.market = market
        self.providers = providers ?? SQLiteProviderRepository(database: database)
        self.pollers = pollers
        self.catalog = catalog
        self.clock = clock
        self.jobs = SQLiteJobRepository(database: database)
        self.nodes = SQLiteNodeRepository(database: database)
        self.fleet = fleet
        self.webhooks = SQLiteWebhookRepository(database: database)
        self.teams = SQLiteTeamRepository(database: database)
        self.tokens = SQLiteTokenRepository(database: database)
        self.webhookVerifier = webhookVerifier
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
            tokens: dependencies.tokens, clock: dependencies.clock,
            rateLimiter: RequestRateLimiter(limit: dependencies.rateLimit)))
    HealthRoutes(database: dependencies.database).register(on: router)
    MetricsRoutes(registry: dependencies.metrics).register(on: router)
    OpenAPIRoutes().register(on: router)
    OfferRoutes(market: dependencies.market, offers: dependencies.offers, catalog: dependencies.catalog)
        .register(on: router)
    QuoteRoutes(market: dependencies.market, catalog: dependencies.catalog, clock: dependencies.clock)
        .register(on: router)
    JobRoutes(
        jobs: dependencies.jobs, nodes: dependencies.nodes, teams: dependencies.teams, catalog: dependencies.catalog,
        clock: dependencies.clock, signals: dependencies.fleet
    ).register(on: router)
    AgentRoutes(
        nodes: dependencies.nodes, catalog: dependencies.catalog, clock: dependencies.clock, signals: dependencies.fleet
    )
    .register(on: router)
    AdminProviderRoutes(providers: dependencies.providers, market: dependencies.market, pollers: dependencies.pollers)
        .register(on: router)
    AdminTeamRoutes(teams: dependencies.teams, clock: dependencies.clock).register(on: router)
    AdminTokenRoutes(tokens: dependencies.tokens, clock: dependencies.clock).register(on: router)
    AdminNodeRoutes(nodes: dependencies.nodes, clock: dependencies.clock, signals: dependencies.fleet)
        .register(on: router)
    WebhookRoutes(
        verifier: dependencies.webhookVerifier, providers: dependencies.providers, webhooks: dependencies.webhooks,
        clock: dependencies.clock, signals: dependencies.fleet
    ).register(on: router)
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
