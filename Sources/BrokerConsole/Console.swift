import Broker
import BrokerCore
import Hummingbird
import Store

/// The web console: HTML pages over the broker's services, for people with an API token.
///
/// ``register(on:)`` adds its middleware (sessions, CSRF, CSP) and its routes to the daemon's
/// router; every path it serves is one of ``ConsolePaths``.
public struct Console: Sendable {
    public var sessions: ConsoleSessions
    public var market: LiveMarket
    public var offers: any OfferRepository
    public var catalog: GPUCatalog
    public var clock: any BrokerClock
    public var jobs: any JobRepository
    public var nodes: any NodeRepository
    public var control: JobControl
    public var providers: any ProviderRepository
    public var pollers: PollerDirectory
    public var pools: OwnerPools
    public var machines: PoolMachines

    public init(
        sessions: ConsoleSessions, market: LiveMarket, offers: any OfferRepository, catalog: GPUCatalog,
        clock: any BrokerClock, jobs: any JobRepository, nodes: any NodeRepository, control: JobControl,
        providers: any ProviderRepository, pollers: PollerDirectory, pools: OwnerPools, machines: PoolMachines
    ) {
        self.sessions = sessions
        self.market = market
        self.offers = offers
        self.catalog = catalog
        self.clock = clock
        self.jobs = jobs
        self.nodes = nodes
        self.control = control
        self.providers = providers
        self.pollers = pollers
        self.pools = pools
        self.machines = machines
    }

    public func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.add(middleware: ConsoleAuthMiddleware<Context>(sessions: sessions))
        LoginRoutes<Context>(sessions: sessions).register(on: router)
        AssetRoutes<Context>().register(on: router)
        MarketPageRoutes<Context>(market: market, offers: offers, catalog: catalog, clock: clock).register(on: router)
        QuotePageRoutes<Context>(market: market, catalog: catalog, clock: clock, control: control).register(on: router)
        SpendPageRoutes<Context>(jobs: jobs, nodes: nodes, clock: clock).register(on: router)
        AdminPageRoutes<Context>(
            providers: providers, market: market, pollers: pollers, pools: pools, machines: machines
        ).register(on: router)
        JobPageRoutes<Context>(jobs: jobs, nodes: nodes, control: control, clock: clock).register(on: router)
    }
}
