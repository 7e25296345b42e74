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
}
