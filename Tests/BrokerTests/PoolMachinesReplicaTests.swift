import BrokerCore
import Foundation
import NodeAgent
import Providers
import Store
import Testing

@testable import Broker

/// Two brokers' `PoolMachines` on one database: each has its own memory, as two daemons would.
@Suite("Owner machines under several brokers: whichever broker a heartbeat reaches hands out what any placed")
struct PoolMachinesReplicaTests {
    private let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))

    private static var backends: [String] { TestPostgres.url == nil ? ["sqlite"] : ["sqlite", "postgres"] }

    private func withStore(_ backend: String, _ body: (BrokerStore) async throws -> Void) async throws {
        guard backend == "postgres" else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-pools-\(UUID())")
            try DataDirectory.prepare(folder.path)
            defer { try? FileManager.default.removeItem(at: folder) }
            return try await body(.sqlite(try BrokerDatabase.open(at: folder.appendingPathComponent("db.sqlite").path)))
        }
        try await TestPostgres.withStore(body)
    }

    private func spec(_ node: String) -> NodeSpec {
        NodeSpec(
            broker: "http://127.0.0.1:8080", token: "gbn_\(node)", nodeID: node, image: nil, command: ["train"],
            environment: [:])
    }

    @Test(arguments: backends)
    func aNodePlacedThroughOneBrokerStartsThroughTheOtherAndIsTakenBackThroughEither(_ backend: String)
        async throws
    {
        try await withStore(backend) { store in
            let pools = OwnerPools(pools: store.pools, nodes: store.nodes, clock: clock)
            _ = try await pools.create(
                id: "campus", name: "Campus", country: "DE", region: "berlin-1",
                terms: PoolTerms(market: .spot, minNoticeSeconds: 30, defaultPricePerGPUHour: Money(dollars: 1)!))
            let joinToken = try await pools.issueJoinToken(pool: "campus", name: "rack").token
            let (a, b) = (
                PoolMachines(pools: store.pools, market: LiveMarket(), clock: clock, machineTimeout: .seconds(30)),
                PoolMachines(pools: store.pools, market: LiveMarket(), clock: clock, machineTimeout: .seconds(30))
            )
            let registration = try #require(
                MachineRegistration.check(
                    name: "rack-1", gpu: "A100-80GB", gpus: 8, gpuMemoryGB: nil, vcpus: nil, memoryGB: nil,
                    diskGB: nil, catalog: .standard
                ).registration)
            let machine = try #require(try await a.register(joinToken: joinToken, registration))
            try await b.refreshOffers()

            // Broker b's scheduler places a node; the machine's heartbeat reaches broker a.
            _ = try await b.launch(offer: OfferID(provider: "campus", native: "rack-1"), spec: spec("node_1"))
            let orders = try #require(try await a.heartbeat(machineToken: machine.token, nodes: [:], lent: true)).orders
            #expect(orders.launches == [spec("node_1")])
            #expect(try await b.instances(pool: "campus").map(\.status) == [.pending])
            _ = try await a.heartbeat(machineToken: machine.token, nodes: ["node_1": true], lent: true)
            #expect(try await b.instances(pool: "campus").map(\.status) == [.running])
            // Busy: a second node goes nowhere, whichever broker asks.
            await #expect(throws: ProviderError.self) {
                _ = try await a.launch(offer: OfferID(provider: "campus", native: "rack-1"), spec: self.spec("node_2"))
            }

            // The owner's heartbeat to b takes the machine back; a knows it too.
            #expect(try await b.reclaim(machine.machine.id) == ["node_1"])
            #expect(try await a.reclaim(machine.machine.id).isEmpty, "said once")
            #expect(try await a.reclaimedMachines() == [machine.machine.id])
            // b's reconciler stops the node; the machine, heartbeating to a, is told to.
            try await b.terminate(node: "node_1")
            let stop = try #require(
                try await a.heartbeat(machineToken: machine.token, nodes: ["node_1": true], lent: false)
            ).orders
            #expect(stop.stops == ["node_1"])
            // Lent again: the heartbeat that says so, to either broker, puts it back.
            _ = try await b.heartbeat(machineToken: machine.token, nodes: [:], lent: true)
            #expect(try await a.reclaimedMachines().isEmpty)
        }
    }
}
