import ArgumentParser
import Broker
import BrokerCore
import BrokerHTTP
import CurlHTTP
import Foundation
import Hummingbird
import Logging
import Metrics
import NodeAgent
import Prometheus
import ServiceLifecycle
import Store

/// `gridbroker serve`: the long-running daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the broker daemon: HTTP API and services, until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try options.load()
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, logLevel: configuration.logLevel) }
        let logger = Logger(label: "gridbroker")

        try CommandFailure.reporting { try DataDirectory.prepare(configuration.dataDirectory) }
        let store = try await DatabaseTarget(configuration).open(logger: logger).store
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let client = CurlHTTPClient()
        let clock = SystemClock()
        let environment = ProcessInfo.processInfo.environment
        let webhookVerifier = try CommandFailure.reporting {
            try WebhookVerifier.load(configuration.webhooks, environment: environment)
        }
        if let webhookVerifier {
            logger.info("webhooks: \(webhookVerifier.keyCount) secret(s) accepted")
        } else {
            let names = configuration.webhooks.secretsEnv.joined(separator: ", ")
            logger.warning("webhooks disabled: none of \(names) is set; POST /v1/webhooks answers 503")
        }
        let agent = AgentBinary(path: AgentBinary.expectedPath)
        if let agent {
            logger.info("node agent: \(agent.path), \(agent.size) bytes, sha256 \(agent.sha256)")
        } else {
            logger.warning(
                "node agent: \(AgentBinary.expectedPath) cannot be read; launches are refused until it is there")
        }
        for (_, problem) in NodeReachability.problems(configuration).sorted(by: { $0.key < $1.key }) {
            logger.warning("\(problem); launches there are refused")
        }
        do {
            try await OwnerPools(pools: store.pools, nodes: store.nodes, clock: clock).declare(configuration.ownerPools)
        } catch {
            throw CommandFailure("owner_pools: \(error)")
        }
        // Several brokers on one database (PostgreSQL) take turns at polls and passes.
        let leases = WorkLeases(
            store: store, duration: .seconds(configuration.database.leaseSeconds), clock: clock, logger: logger)
        let market = try await MarketData.start(
            configuration: configuration, store: store, transport: client, clock: clock,
            environment: environment, leases: leases, logger: logger)
        let machines = PoolMachines(
            pools: store.pools, market: market.market, clock: clock,
            machineTimeout: .seconds(configuration.pools.machineTimeoutSeconds))
        let fleet = try await Fleet.start(
            configuration: configuration, store: store, market: market.market, transport: client, clock: clock,
            environment: environment, agent: agent, pools: machines, leases: leases, logger: logger)
        // Started in this order, stopped in reverse: the fleet and the pollers first, then the HTTP
        // client, the database last.
        var dependencies = APIDependencies(
            store: store, metrics: registry, market: market.market, pollers: market.directory,
            clock: clock, fleet: fleet.signals, webhookVerifier: webhookVerifier)
        let services: [any Service] =
            [
                DatabaseService(store: store, logger: logger), HTTPClientService(client: client),
                TokenUseRecorder(authenticator: dependencies.authenticator, logger: logger),
            ] + (leases.map { [$0] } ?? []) + market.pollers + [PoolOfferService(machines: machines, logger: logger)]
            + fleet.services
        dependencies.agent = agent
        dependencies.machines = machines
        dependencies.nodeLogs = NodeLogStore(
            folder: URL(fileURLWithPath: configuration.logsDirectory),
            maxBytesPerNode: configuration.logs.maxBytesPerNode, clock: clock)
        dependencies.manifests = DatasetManifests(folder: configuration.manifestDirectory, transport: client)
        dependencies.rateLimit = TokenBucket.Limit(
            perSecond: Double(configuration.server.rateLimitPerSecond), burst: configuration.server.rateLimitBurst)
        let app = buildApplication(
            configuration: configuration,
            dependencies: dependencies,
            services: services,
            logger: logger,
            onServerRunning: { port in
                logger.notice("listening on http://\(configuration.server.host):\(port)")
            })
        logger.info(
            "gridbroker \(BrokerVersion.current) starting",
            metadata: ["database": "\(store.location)", "providers": "\(configuration.providers.count)"])
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        logger.notice("stopped")
    }
}
