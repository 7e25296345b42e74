import BrokerCore
import Foundation
import Logging
import Providers
import Store
import Testing

@testable import Broker

/// A broker's fleet on a fresh database (SQLite unless given a store), a live market the test
/// fills, fake providers and a manual clock: the scheduler, reconciler and accountant are driven
/// pass by pass.
struct FleetHarness {
    let store: BrokerStore
    let market = LiveMarket()
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
    let providers: [String: FakeInstanceProvider]
    /// Broker "a"'s fleet (taking leases as "a" where the store has them).
    let fleet: Fleet
    let jobs: any JobRepository
    let nodes: any NodeRepository
    let settings: SchedulerSettings
    private let provisioners: Provisioners
    private let agent: AgentDelivery?
    private let unreachable: [String: String]

    init(
        providers: [FakeInstanceProvider] = [FakeInstanceProvider("vast"), FakeInstanceProvider("aws")],
        others: [any InstanceProvisioner] = [],
        settings: SchedulerSettings = SchedulerSettings(defaultLaunchTimeout: .seconds(300)),
        agent: AgentDelivery? = AgentDelivery(
            brokerURL: "http://127.0.0.1:8080", sha256: String(repeating: "0", count: 64)),
        unreachable: [String: String] = [:], store: BrokerStore? = nil
    ) async throws {
        if let store {
            self.store = store
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-fleet-\(UUID())")
            try DataDirectory.prepare(folder.path)
            self.store = .sqlite(try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path))
        }
        let now = clock.now
        try await self.store.providers.sync(
            (providers.map(\.providerID) + others.map(\.providerID)).map { provider in
                ProviderRecord(
                    id: provider, kind: "vast", baseUrl: "http://127.0.0.1:9/", enabled: true,
                    pollIntervalS: 60, offerExpiryS: 300, createdAt: now)
            })
        try await DefaultTeam.ensure(in: self.store.teams, at: now)
        self.providers = Dictionary(providers.map { ($0.providerID, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        provisioners = Provisioners(providers + others)
        self.agent = agent
        self.unreachable = unreachable
        jobs = self.store.jobs
        nodes = self.store.nodes
        fleet = Fleet(
            store: self.store, market: market, provisioners: provisioners, transport: UnusedTransport(), clock: clock,
            settings: settings, agent: agent, unreachable: unreachable,
            leases: WorkLeases(store: self.store, owner: "a", clock: clock, logger: Logger(label: "test")),
            logger: Logger(label: "test"))
    }

    /// The fleet of a restarted daemon, or of another broker (`owner`) on the same database: the
    /// same market, providers and clock, and nothing the first fleet held in memory.
    func restartedFleet(as owner: String = "a") -> Fleet {
        Fleet(
            store: store, market: market, provisioners: provisioners, transport: UnusedTransport(), clock: clock,
            settings: settings, agent: agent, unreachable: unreachable,
            leases: WorkLeases(store: store, owner: owner, clock: clock, logger: Logger(label: "test")),
            logger: Logger(label: "test"))
    }

    func offer(
        _ id: String, dollars: Double, gpu: String = "H100-SXM", gpus: Int = 8, region: String = "r1",
        market: Market = .onDemand, available: Int = 1
    ) -> Offer {
        Offer(
            id: OfferID(id)!, gpu: GPUName(resolving: gpu), gpuCount: gpus, gpuMemoryGB: 80, interconnect: "nvlink",
            vcpus: 96, memoryGB: 1024, diskGB: 2000, region: region, country: "US", market: market,
            pricePerHour: Money(dollars: dollars)!, available: available, reliability: nil, firstSeenAt: clock.now,
            lastSeenAt: clock.now, raw: nil)
    }

    func list(_ offers: [Offer]) {
        for (provider, seen) in Dictionary(grouping: offers, by: \.id.provider) {
            market.record(provider: provider, seen: seen, expiredBefore: clock.now.addingTimeInterval(-3600))
        }
    }

    /// Submits a job of `nodes` nodes of 8 H100-SXMs (spec changed by `change`) for the default team.
    @discardableResult
    func submit(nodes count: Int = 1, _ change: (inout JobSpec) -> Void = { _ in }) async throws -> JobRecord {
        var spec = JobSpec(
            name: "train", resources: JobSpec.Resources(gpu: ["H100-SXM"], gpusPerNode: 8, nodes: count), image: "img",
            command: ["torchrun", "train.py"])
        change(&spec)
        let encoded = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        return try await jobs.submit(
            JobRecord(
                id: Identifier.make("job", at: clock.now), teamId: DefaultTeam.id, name: spec.name, spec: encoded,
                deadline: spec.deadline, createdAt: clock.now))
    }

    func job(_ id: String) async throws -> JobRecord { try #require(try await jobs.job(id: id)) }

    /// Every booting node's agent reports in (its first heartbeat): the node runs.
    func agentsReport() async throws {
        for node in try await nodes.liveNodes(provider: nil) where node.state == .booting {
            _ = try await nodes.recordHeartbeat(Heartbeat(status: .starting), node: node.id, at: clock.now)
        }
    }

    /// The node of a job placed on aws and cancelled, terminated as the provider confirmed: the node
    /// an instance leaked by a crash would belong to.
    func terminatedNode() async throws -> NodeRecord {
        list([offer("aws:a", dollars: 10)])
        let job = try await submit()
        await fleet.scheduler.pass()
        _ = try await nodes.finish(job: job.id, with: .cancel, reason: "cancelled", at: clock.now)
        await fleet.reconciler.pass()
        await fleet.reconciler.pass()
        let node = try #require(try await nodes.nodes(ofJob: job.id).first)
        #expect(node.state == .terminated)
        return node
    }

    /// `provider` runs every instance, the reconciler sees it, and the nodes' agents report in.
    func boot(_ provider: String = "vast") async throws {
        providers[provider]!.setAll(.running)
        await fleet.reconciler.pass()
        try await agentsReport()
    }
}
