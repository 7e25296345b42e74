import Broker
import BrokerCore
import Foundation
import Logging
import Providers
import Store

/// Jobs placed per second: 1-node jobs submitted at once, placed by the daemon's scheduler (or by
/// several brokers' schedulers on one database) through
/// the real provisioners against the in-process simulated market (which answers at once), each
/// placement being a quote, the intent's transaction, a launch over loopback HTTP and its write.
struct PlacementThroughput {
    let jobs: Int
    let placed: Int
    let elapsed: Duration

    var jobsPerSecond: Double { Double(placed) / max(elapsed.timeInterval, 1e-9) }

    /// GPU models spread over the jobs, so no one model's capacity runs out.
    static let models = ["RTX4090", "RTX3090", "A100-80GB", "H100", "L40S", "A10", "RTXA6000", "L4"]

    /// Places `jobs` jobs with one scheduler pass on `store` (a fresh SQLite database when nil);
    /// with `replicas`, more brokers on the same database (PostgreSQL) pass at the same time,
    /// each placing the jobs whose lease it takes.
    static func measure(
        simulated: SimulatedProviders, book: OfferBook, jobs: Int, transport: any HTTPTransport,
        store given: BrokerStore? = nil, replicas: [BrokerStore] = []
    ) async throws -> PlacementThroughput {
        let store = try given ?? .sqlite(BenchDatabase.fresh(simulated.providers))
        let clock = SystemClock()
        let adapters = ProviderAdapters(environment: SimulatedProviders.environment)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let brokers = [store] + replicas
        let fleets = brokers.enumerated().map { index, store in
            Fleet(
                store: store, market: LiveMarket(book),
                provisioners: Provisioners(simulated.providers.map { adapters.provisioner(for: $0) }),
                transport: transport, clock: clock, settings: simulated.configuration.schedulerSettings,
                agent: AgentDelivery(brokerURL: simulated.configuration.server.agentURL, sha256: BenchAgent.sha256),
                // As the daemon does: leases on PostgreSQL (one broker or several), none on SQLite.
                leases: WorkLeases(store: store, owner: "bench-\(index)", clock: clock, logger: logger),
                logger: logger)
        }
        try await DefaultTeam.ensure(in: store.teams, at: clock.now)
        let repository = store.jobs
        let encoder = JSONEncoder()
        for index in 0..<jobs {
            let spec = JobSpec(
                name: "bench-\(index)",
                resources: JobSpec.Resources(gpu: [models[index % models.count]], gpusPerNode: 1, nodes: 1),
                market: .onDemand, image: "img", command: ["train"])
            _ = try await repository.submit(
                JobRecord(
                    id: Identifier.make("job", at: clock.now), teamId: DefaultTeam.id, name: spec.name,
                    spec: String(decoding: try encoder.encode(spec), as: UTF8.self), createdAt: clock.now))
        }
        let start = ContinuousClock.now
        // Brokers' books do not see each other's launches: a pass may lose an offer's last unit to
        // another broker, and the job is placed by the next one (at most five rounds).
        var placed = 0
        for _ in 0..<5 where placed < jobs {
            let round = await withTaskGroup(of: Int.self) { group in
                for fleet in fleets { group.addTask { await fleet.scheduler.pass().placed.count } }
                return await group.reduce(0, +)
            }
            placed += round
            if round == 0 || fleets.count == 1 { break }
        }
        let elapsed = ContinuousClock.now - start
        return PlacementThroughput(jobs: jobs, placed: placed, elapsed: elapsed)
    }
}
