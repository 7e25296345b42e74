import Broker
import BrokerCore
import Foundation
import Logging
import Providers
import Store

/// Jobs placed per second: 1-node jobs submitted at once, placed by the daemon's scheduler through
/// the real provisioners against the in-process simulated market (which answers at once), each
/// placement being a quote, the intent's transaction, a launch over loopback HTTP and its write.
struct PlacementThroughput {
    let jobs: Int
    let placed: Int
    let elapsed: Duration

    var jobsPerSecond: Double { Double(placed) / max(elapsed.timeInterval, 1e-9) }

    /// GPU models spread over the jobs, so no one model's capacity runs out.
    static let models = ["RTX4090", "RTX3090", "A100-80GB", "H100", "L40S", "A10", "RTXA6000", "L4"]

    /// Places `jobs` jobs with one scheduler pass on `store` (a fresh SQLite database when nil).
    static func measure(
        simulated: SimulatedProviders, book: OfferBook, jobs: Int, transport: any HTTPTransport,
        store given: BrokerStore? = nil
    ) async throws -> PlacementThroughput {
        let store = try given ?? .sqlite(BenchDatabase.fresh(simulated.providers))
        let clock = SystemClock()
        let adapters = ProviderAdapters(environment: SimulatedProviders.environment)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let fleet = Fleet(
            store: store, market: LiveMarket(book),
            provisioners: Provisioners(simulated.providers.map { adapters.provisioner(for: $0) }), transport: transport,
            clock: clock, settings: simulated.configuration.schedulerSettings,
            agent: AgentDelivery(brokerURL: simulated.configuration.server.agentURL, sha256: BenchAgent.sha256),
            logger: logger)
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
        let pass = await fleet.scheduler.pass()
        let elapsed = ContinuousClock.now - start
        return PlacementThroughput(jobs: jobs, placed: pass.placed.count, elapsed: elapsed)
    }
}
