import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Leases where brokers share a database: one holder at a time, taken over once expired, released by token")
struct LeaseRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func oneBrokerHoldsALeaseUntilItExpiresOrIsReleased(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            let (a, b) = (try #require(try await open().leases), try #require(try await open().leases))
            let first = try #require(try await a.take("poll:vast", owner: "a", until: at(30), now: start))
            #expect(try await b.take("poll:vast", owner: "b", until: at(40), now: at(10)) == nil)
            let renewed = try #require(try await a.take("poll:vast", owner: "a", until: at(50), now: at(20)))
            #expect(renewed.token == first.token && renewed.expiresAt == at(50))
            // Another lease is another matter.
            #expect(try await b.take("scheduler", owner: "b", until: at(50), now: at(20)) != nil)

            let takeover = try #require(try await b.take("poll:vast", owner: "b", until: at(80), now: at(50)))
            #expect(takeover.token != first.token)
            // The first holder's release of a lease taken over since changes nothing.
            try await a.release(renewed)
            #expect(try await a.take("poll:vast", owner: "a", until: at(90), now: at(60)) == nil)
            try await b.release(takeover)
            #expect(try await a.take("poll:vast", owner: "a", until: at(90), now: at(60))?.owner == "a")
        }
    }

    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func brokersAskingAtOnceGetOneHolder(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            var stores: [BrokerStore] = []
            for _ in 0..<4 { stores.append(try await open()) }
            let holders = try await withThrowingTaskGroup(of: Lease?.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        try await store.leases?.take("scheduler", owner: "b\(index)", until: at(30), now: start)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(holders.compactMap { $0 }.count == 1)
        }
    }

    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func anIntentWrittenUnderALeaseTakenOverSinceIsRefusedWhole(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let leases = try #require(store.leases)
            try await store.providers.sync([ContractFixtures.vast(at: start)])
            _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
            for id in ["job_1", "job_2"] {
                _ = try await store.jobs.submit(
                    JobRecord(id: id, teamId: "team_1", name: "llama", spec: #"{"name":"llama"}"#, createdAt: start))
            }
            let offer = ContractFixtures.h100("m1", at: start)
            let stale = try #require(try await leases.take("scheduler", owner: "a", until: at(30), now: start))
            // b takes the scheduler over once a's lease ran out; a's pass, late, tries to launch.
            let current = try #require(try await leases.take("scheduler", owner: "b", until: at(70), now: at(40)))
            let late = NodeRecord(id: "node_a", jobID: "job_1", rank: 0, offer: offer, requestedAt: at(41))
            await #expect(throws: StoreError.leaseLost("scheduler")) {
                try await store.nodes.beginProvisioning(
                    job: "job_1", nodes: [late], at: at(41), under: stale, within: nil)
            }
            #expect(try await store.jobs.job(id: "job_1")?.state == .queued)
            #expect(try await store.nodes.nodes(ofJob: "job_1").isEmpty)
            let placed = NodeRecord(id: "node_b", jobID: "job_2", rank: 0, offer: offer, requestedAt: at(41))
            _ = try await store.nodes.beginProvisioning(
                job: "job_2", nodes: [placed], at: at(41), under: current, within: nil)
            #expect(try await store.jobs.job(id: "job_2")?.state == .provisioning)
        }
    }
}
