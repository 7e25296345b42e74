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
    public var prices: PriceHistory
    public var catalog: GPUCatalog
    public var clock: any BrokerClock
    public var jobs: JobQueries
    public var control: JobControl
    public var providers: ProviderControl
    public var pools: OwnerPools
    public var machines: PoolMachines

    public init(
        sessions: ConsoleSessions, market: LiveMarket, prices: PriceHistory, catalog: GPUCatalog,
        clock: any BrokerClock, jobs: JobQueries, control: JobControl, providers: ProviderControl, pools: OwnerPools,
        machines: PoolMachines
    ) {
        self.sessions = sessions
        self.market = market
        self.prices = prices
        self.catalog = catalog
        self.clock = clock
        self.jobs = jobs
        self.control = control
        self.providers = providers
        self.pools = pools
        self.machines = machines
    }

    public func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.add(middleware: ConsoleAuthMiddleware<Context>(sessions: sessions))
        LoginRoutes<Context>(sessions: sessions).register(on: router)
        AssetRoutes<Context>().register(on: router)
        MarketPageRoutes<Context>(market: market, prices: prices, catalog: catalog, clock: clock).register(on: router)
        QuotePageRoutes<Context>(market: market, catalog: catalog, clock: clock, control: control).register(on: router)
        SpendPageRoutes<Context>(jobs: jobs, clock: clock).register(on: router)
        AdminPageRoutes<Context>(
            providers: providers, market: market, pools: pools, machines: machines
        ).register(on: router)
        JobPageRoutes<Context>(jobs: jobs, control: control, clock: clock).register(on: router)
    }
}
