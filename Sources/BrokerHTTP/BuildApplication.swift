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
    /// Checks provider callbacks' signatures; nil when no secret is configured (the webhook
    /// endpoint then answers 503).
    public var webhookVerifier: WebhookVerifier?

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
        self.webhookVerifier = webhookVerifier
    }
}

/// The router with every route and middleware; tests drive it without a socket.
public func buildRouter(_ dependencies: APIDependencies) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    HealthRoutes(database: dependencies.database).register(on: router)
    MetricsRoutes(registry: dependencies.metrics).register(on: router)
    OpenAPIRoutes().register(on: router)
    OfferRoutes(market: dependencies.market, offers: dependencies.offers, catalog: dependencies.catalog)
        .register(on: router)
    QuoteRoutes(market: dependencies.market, catalog: dependencies.catalog, clock: dependencies.clock)
        .register(on: router)
    JobRoutes(
        jobs: dependencies.jobs, nodes: dependencies.nodes, catalog: dependencies.catalog, clock: dependencies.clock,
        signals: dependencies.fleet, teamID: DefaultTeam.id
    ).register(on: router)
    AgentRoutes(
        nodes: dependencies.nodes, catalog: dependencies.catalog, clock: dependencies.clock, signals: dependencies.fleet
    )
    .register(on: router)
    AdminProviderRoutes(providers: dependencies.providers, market: dependencies.market, pollers: dependencies.pollers)
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
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: "gridbroker/\(BrokerVersion.current)"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}
