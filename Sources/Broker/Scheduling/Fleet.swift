import BrokerCore
import Logging
import Providers
import ServiceLifecycle
import Store
import Synchronization

/// The services that turn jobs into running nodes and keep them honest: the scheduler, the
/// reconciler and the accountant, wired so that a release or a budget stop wakes the reconciler.
public struct Fleet: Sendable {
    public let scheduler: Scheduler
    public let reconciler: Reconciler
    public let accountant: Accountant

    public init(
        store: BrokerStore, market: LiveMarket, provisioners: Provisioners, transport: any HTTPTransport,
        clock: any BrokerClock, settings: SchedulerSettings, agent: AgentDelivery?, unreachable: [String: String] = [:],
        catalog: GPUCatalog = .standard, leases: WorkLeases? = nil, logger: Logger
    ) {
        let wakeScheduler = SchedulerWakeup()
        let reconciler = Reconciler(
            store: store, provisioners: provisioners, transport: transport, clock: clock, settings: settings,
            logger: logger, onNodesChanged: { wakeScheduler.wake() }, leases: leases)
        self.reconciler = reconciler
        let scheduler = Scheduler(
            jobs: store.jobs, nodes: store.nodes, teams: store.teams, offers: store.offers(catalog: catalog),
            blocks: store.blocks,
            market: market,
            provisioners: provisioners, transport: transport, clock: clock, settings: settings, agent: agent,
            unreachable: unreachable, catalog: catalog, logger: logger, onNodesChanged: { reconciler.wake() },
            jobLeases: leases.map(JobLeases.init))
        wakeScheduler.target.withLock { $0 = scheduler }
        self.scheduler = scheduler
        self.accountant = Accountant(
            store: store, clock: clock, settings: settings, catalog: catalog, logger: logger,
            onStop: { reconciler.wake() }, lease: leases?.lease("accountant"))
    }

    /// The fleet of the configured providers and of the owner pools' machines: the default team
    /// exists. Nodes get `agent` (none: every launch is refused); providers whose nodes could not
    /// reach the broker are refused too.
    public static func start(
        configuration: BrokerConfiguration, store: BrokerStore, market: LiveMarket, transport: any HTTPTransport,
        clock: any BrokerClock, environment: [String: String], agent: AgentBinary?, pools: PoolMachines? = nil,
        leases: WorkLeases? = nil, logger: Logger
    ) async throws -> Fleet {
        try await DefaultTeam.ensure(in: store.teams, at: clock.now)
        let adapters = ProviderAdapters(environment: environment)
        let provisioners = configuration.providers.map { adapters.provisioner(for: $0) }
        let settings = configuration.schedulerSettings
        return Fleet(
            store: store, market: market, provisioners: Provisioners(provisioners, pools: pools),
            transport: transport,
            clock: clock, settings: settings,
            agent: agent?.delivery(brokerURL: settings.agentBrokerURL, heartbeat: settings.agentInterval),
            unreachable: NodeReachability.problems(configuration), leases: leases, logger: logger)
    }

    /// In start order: the reconciler first, so a restarted daemon adopts or cleans up what it
    /// left before it places anything new.
    public var services: [any Service] { [reconciler, scheduler, accountant] }

    /// What the API tells the fleet.
    public var signals: FleetSignals {
        FleetSignals(
            jobSubmitted: { [scheduler] in scheduler.wake() }, jobEnded: { [reconciler] in reconciler.wake() },
            nodeReclaimed: { [scheduler] in scheduler.wake() })
    }
}

/// How the API nudges the fleet: a submitted job is scheduled at once, a cancelled one's nodes are
/// terminated at once, a reclaim notice starts the migration at once, rather than at the next pass.
public struct FleetSignals: Sendable {
    public var jobSubmitted: @Sendable () -> Void
    public var jobEnded: @Sendable () -> Void
    public var nodeReclaimed: @Sendable () -> Void

    public init(
        jobSubmitted: @escaping @Sendable () -> Void, jobEnded: @escaping @Sendable () -> Void,
        nodeReclaimed: @escaping @Sendable () -> Void = {}
    ) {
        self.jobSubmitted = jobSubmitted
        self.jobEnded = jobEnded
        self.nodeReclaimed = nodeReclaimed
    }

    /// No fleet (tests of the API alone).
    public static let none = FleetSignals(jobSubmitted: {}, jobEnded: {})
}

/// The reconciler is built before the scheduler it wakes; this holds the scheduler once it exists.
private final class SchedulerWakeup: Sendable {
    let target = Mutex<Scheduler?>(nil)

    func wake() { target.withLock { $0 }?.wake() }
}
