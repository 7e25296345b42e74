import BrokerCore

/// How the scheduler, the reconciler and the accountant pace themselves.
public struct SchedulerSettings: Sendable, Equatable {
    /// Between scheduling passes (a submitted job wakes the scheduler at once).
    public var interval: Duration
    /// Between reconciliations of each provider's instances with the broker's nodes.
    public var reconcileInterval: Duration
    /// Between spend accruals and budget checks.
    public var accountingInterval: Duration
    /// How long a launch may take to reach running, per provider id; ``defaultLaunchTimeout`` otherwise.
    public var launchTimeouts: [String: Duration]
    public var defaultLaunchTimeout: Duration
    public var blockDurations: CapacityBlocklist.Durations
    /// Placements tried per job per pass before it waits for the market again.
    public var placementsPerPass: Int
    /// The URL nodes' agents reach the broker at (`server.public_url`).
    public var agentBrokerURL: String
    /// A running node whose agent has reported before and then stays silent this long is taken as
    /// reclaimed.
    public var heartbeatTimeout: Duration
    /// A node whose provider runs it but whose agent has not reported within this is a failed boot:
    /// it is given up and its offer blocked.
    public var bootTimeout: Duration
    /// How often nodes' agents are told to send a heartbeat.
    public var agentInterval: Duration
    /// What a node's (re)start costs a job before it makes progress (the `market: auto` policy's
    /// restart overhead).
    public var restartOverhead: Duration

    /// How far ahead spend is projected against budgets: until the accountant's next pass and the
    /// terminations it would order have gone through. The accountant stops what would pass a
    /// budget within it, and the scheduler launches nothing that would.
    public var spendHorizon: Duration { accountingInterval + reconcileInterval }

    public init(
        interval: Duration = .seconds(5), reconcileInterval: Duration = .seconds(30),
        accountingInterval: Duration = .seconds(60), launchTimeouts: [String: Duration] = [:],
        defaultLaunchTimeout: Duration = .seconds(600), blockDurations: CapacityBlocklist.Durations = .init(),
        placementsPerPass: Int = 5, agentBrokerURL: String = "http://127.0.0.1:8080",
        heartbeatTimeout: Duration = .seconds(300), bootTimeout: Duration = .seconds(900),
        agentInterval: Duration = .seconds(10), restartOverhead: Duration = .seconds(720)
    ) {
        self.agentInterval = agentInterval
        self.bootTimeout = bootTimeout
        self.interval = interval
        self.reconcileInterval = reconcileInterval
        self.accountingInterval = accountingInterval
        self.launchTimeouts = launchTimeouts
        self.defaultLaunchTimeout = defaultLaunchTimeout
        self.blockDurations = blockDurations
        self.placementsPerPass = placementsPerPass
        self.agentBrokerURL = agentBrokerURL
        self.heartbeatTimeout = heartbeatTimeout
        self.restartOverhead = restartOverhead
    }

    public func launchTimeout(for provider: String) -> Duration {
        launchTimeouts[provider] ?? defaultLaunchTimeout
    }
}
