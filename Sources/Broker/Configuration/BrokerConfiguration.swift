import Logging

/// Everything the daemon is told by its operator: the YAML file, overridden by `GRIDBROKER_*`
/// environment variables. Load it with ``ConfigurationLoader``.
public struct BrokerConfiguration: Sendable, Equatable {
    /// Where the HTTP API listens.
    public var server: ServerConfiguration
    /// The folder that holds the database (`<data_dir>/gridbroker.sqlite`).
    public var dataDirectory: String
    public var logLevel: Logger.Level
    public var providers: [ProviderConfiguration]
    /// Owner pools the file declares; more are made through the admin API.
    public var ownerPools: [OwnerPoolConfiguration]
    public var scheduler: SchedulerConfiguration
    public var webhooks: WebhookConfiguration
    public var logs: LogsConfiguration
    public var datasets: DatasetsConfiguration
    public var pools: PoolsConfiguration
    public var database: DatabaseConfiguration

    public init(
        server: ServerConfiguration = .init(),
        dataDirectory: String = "./var",
        logLevel: Logger.Level = .info,
        providers: [ProviderConfiguration] = [],
        ownerPools: [OwnerPoolConfiguration] = [],
        scheduler: SchedulerConfiguration = .init(),
        webhooks: WebhookConfiguration = .init(),
        logs: LogsConfiguration = .init(),
        datasets: DatasetsConfiguration = .init(),
        pools: PoolsConfiguration = .init(),
        database: DatabaseConfiguration = .init()
    ) {
        self.server = server
        self.dataDirectory = dataDirectory
        self.logLevel = logLevel
        self.providers = providers
        self.ownerPools = ownerPools
        self.scheduler = scheduler
        self.webhooks = webhooks
        self.logs = logs
        self.datasets = datasets
        self.pools = pools
        self.database = database
    }

    /// The SQLite file inside the data directory.
    public var databasePath: String { inDataDirectory("gridbroker.sqlite") }

    /// Where nodes' output is kept: `<data_dir>/logs`.
    public var logsDirectory: String { inDataDirectory("logs") }

    /// Where manifests named by a path are read from: `datasets.manifest_dir`, else
    /// `<data_dir>/manifests`.
    public var manifestDirectory: String { datasets.manifestDirectory ?? inDataDirectory("manifests") }

    private func inDataDirectory(_ name: String) -> String {
        dataDirectory.hasSuffix("/") ? dataDirectory + name : dataDirectory + "/" + name
    }
}

/// The listening address of the HTTP API.
public struct ServerConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 asks the system for any free port (the daemon logs the one it got).
    public var port: Int
    /// Where nodes' agents reach the broker; `http://<host>:<port>` when not set.
    public var publicURL: String?
    /// A connection that sends or reads nothing this long is closed (slow or stalled clients).
    public var idleTimeoutSeconds: Int
    /// Each API token's steady request rate, and the burst it may send above it.
    public var rateLimitPerSecond: Int
    public var rateLimitBurst: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, idleTimeoutSeconds: Int = 30,
        rateLimitPerSecond: Int = 50, rateLimitBurst: Int = 200
    ) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.rateLimitPerSecond = rateLimitPerSecond
        self.rateLimitBurst = rateLimitBurst
    }

    /// The URL agents are given.
    public var agentURL: String { publicURL ?? "http://\(host):\(port)" }
}

/// How much of each node's output the broker keeps.
public struct LogsConfiguration: Sendable, Equatable {
    /// The most kept per node (older output is dropped first).
    public var maxBytesPerNode: Int

    public init(maxBytesPerNode: Int = 8 << 20) {
        self.maxBytesPerNode = maxBytesPerNode
    }
}

/// Where jobs' dataset manifests may come from.
/// Which database holds the broker's state.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// A `postgres://` URL selects PostgreSQL (several brokers may share it); nil keeps the
    /// embedded SQLite file in the data directory. Set it through `GRIDBROKER_DATABASE_URL` to keep
    /// the password out of the file; it is never logged with its password.
    public var url: String?
    /// How long a broker's hold on shared work lasts unrenewed (PostgreSQL): how long the work of a
    /// broker that died waits for another.
    public var leaseSeconds: Int

    public init(url: String? = nil, leaseSeconds: Int = 30) {
        self.url = url
        self.leaseSeconds = leaseSeconds
    }
}

public struct DatasetsConfiguration: Sendable, Equatable {
    /// The folder a manifest named by a path must be in (`<data_dir>/manifests` when nil): a team
    /// cannot make the broker read its other files.
    public var manifestDirectory: String?

    public init(manifestDirectory: String? = nil) {
        self.manifestDirectory = manifestDirectory
    }
}

/// Owner pools' machines.
public struct PoolsConfiguration: Sendable, Equatable {
    /// A machine silent this long is withdrawn from the market.
    public var machineTimeoutSeconds: Int

    public init(machineTimeoutSeconds: Int = 30) {
        self.machineTimeoutSeconds = machineTimeoutSeconds
    }
}

/// How provider callbacks are authenticated (Standard Webhooks signatures).
public struct WebhookConfiguration: Sendable, Equatable {
    /// Names of the environment variables holding the accepted secrets: several, for rotation.
    public var secretsEnv: [String]
    /// How far a signed timestamp may be from now, in seconds.
    public var toleranceSeconds: Int

    public init(secretsEnv: [String] = ["GRIDBROKER_WEBHOOK_SECRET"], toleranceSeconds: Int = 300) {
        self.secretsEnv = secretsEnv
        self.toleranceSeconds = toleranceSeconds
    }
}

/// How often the scheduler, the reconciler and the accountant run, and how long a launch may take.
public struct SchedulerConfiguration: Sendable, Equatable {
    public var intervalSeconds: Int
    public var reconcileIntervalSeconds: Int
    public var accountingIntervalSeconds: Int
    /// For providers that do not set their own `launch_timeout_s`.
    public var launchTimeoutSeconds: Int
    /// How long a node's agent may stay silent before the node is taken as reclaimed.
    public var heartbeatTimeoutSeconds: Int
    /// How often nodes' agents send a heartbeat (they are told at launch).
    public var agentIntervalSeconds: Int
    /// How long after its provider runs it a node's agent may take to report in before the boot is
    /// taken as failed.
    public var bootTimeoutSeconds: Int
    /// What a (re)start of a node costs a job before it makes progress: boot, image pull, restoring
    /// a checkpoint. The `market: auto` policy keeps enough slack for it.
    public var restartOverheadSeconds: Int

    public init(
        intervalSeconds: Int = 5, reconcileIntervalSeconds: Int = 30, accountingIntervalSeconds: Int = 60,
        launchTimeoutSeconds: Int = 600, heartbeatTimeoutSeconds: Int = 300, bootTimeoutSeconds: Int = 900,
        agentIntervalSeconds: Int = 10, restartOverheadSeconds: Int = 720
    ) {
        self.agentIntervalSeconds = agentIntervalSeconds
        self.bootTimeoutSeconds = bootTimeoutSeconds
        self.intervalSeconds = intervalSeconds
        self.reconcileIntervalSeconds = reconcileIntervalSeconds
        self.accountingIntervalSeconds = accountingIntervalSeconds
        self.launchTimeoutSeconds = launchTimeoutSeconds
        self.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds
        self.restartOverheadSeconds = restartOverheadSeconds
    }
}

extension BrokerConfiguration {
    /// The scheduler's settings: the `scheduler` section and each provider's `launch_timeout_s`.
    public var schedulerSettings: SchedulerSettings {
        SchedulerSettings(
            interval: .seconds(scheduler.intervalSeconds),
            reconcileInterval: .seconds(scheduler.reconcileIntervalSeconds),
            accountingInterval: .seconds(scheduler.accountingIntervalSeconds),
            launchTimeouts: Dictionary(
                providers.compactMap { provider in
                    provider.launchTimeoutSeconds.map { (provider.id, Duration.seconds($0)) }
                },
                uniquingKeysWith: { first, _ in first }),
            defaultLaunchTimeout: .seconds(scheduler.launchTimeoutSeconds), agentBrokerURL: server.agentURL,
            heartbeatTimeout: .seconds(scheduler.heartbeatTimeoutSeconds),
            bootTimeout: .seconds(scheduler.bootTimeoutSeconds),
            agentInterval: .seconds(scheduler.agentIntervalSeconds),
            restartOverhead: .seconds(scheduler.restartOverheadSeconds))
    }
}
