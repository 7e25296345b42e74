import BrokerCore
import Foundation
import Synchronization
import Testing

@testable import Store

@Suite("A store guarded by a lease: its writes land while the lease holds, none once it ran out or was taken over")
struct LeaseGuardContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    private func outcome(at date: Date) -> PollOutcome {
        PollOutcome(at: date, duration: .milliseconds(40), error: nil, consecutiveFailures: 0, circuitState: .closed)
    }

    /// Broker a's view of `store` under `lease`: what it believes it holds, checked at `now`.
    private final class Holder: Sendable {
        let lease: Mutex<Lease?>
        let now: Mutex<Date>

        init(_ lease: Lease?, now: Date) {
            self.lease = Mutex(lease)
            self.now = Mutex(now)
        }

        func guarding(_ name: String) -> LeaseGuard {
            LeaseGuard(name: name, held: { self.lease.withLock { $0 } }, now: { self.now.withLock { $0 } })
        }
    }

    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func aPollOutlivingItsLeaseLandsNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let leases = try #require(store.leases)
            try await store.providers.sync([ContractFixtures.vast(at: start)])
            let holder = Holder(
                try await leases.take("poll:vast", owner: "a", until: at(30), now: start), now: at(1))
            let polls = store.guarded(by: holder.guarding("poll:vast"))

            let first = [ContractFixtures.h100("m1", at: at(1))]
            try await polls.offers().ingest(
                OfferChanges(listedAt: at(1), upserted: first), listing: first, provider: "vast", at: at(1))
            try await polls.providers.recordPoll(outcome(at: at(1)), provider: "vast")
            #expect(try await store.offers().liveOffers().map(\.id.native) == ["m1"])

            // a's lease runs out with nobody else asking: its late poll is refused all the same.
            holder.now.withLock { $0 = at(31) }
            await #expect(throws: StoreError.leaseLost("poll:vast")) {
                try await polls.providers.recordPoll(self.outcome(at: self.at(31)), provider: "vast")
            }
            // b takes the provider over; a, still polling, lands neither offers nor an outcome.
            _ = try #require(try await leases.take("poll:vast", owner: "b", until: at(70), now: at(40)))
            holder.now.withLock { $0 = at(41) }
            let late = [ContractFixtures.h100("m2", at: at(41))]
            await #expect(throws: StoreError.leaseLost("poll:vast")) {
                try await polls.offers().ingest(
                    OfferChanges(listedAt: self.at(41), upserted: late), listing: late, provider: "vast",
                    at: self.at(41))
            }
            await #expect(throws: StoreError.leaseLost("poll:vast")) {
                try await polls.providers.recordPoll(self.outcome(at: self.at(41)), provider: "vast")
            }
            #expect(try await store.offers().liveOffers().map(\.id.native) == ["m1"])
            #expect(try await store.providers.provider(id: "vast")?.lastPollAt == at(1))
        }
    }

    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func aHolderThatKnowsItLostTheLeaseIsRefusedBeforeAsking(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.providers.sync([ContractFixtures.vast(at: start)])
            let holder = Holder(nil, now: at(1))
            await #expect(throws: StoreError.leaseLost("accountant")) {
                _ = try await store.guarded(by: holder.guarding("accountant")).jobs.jobs(in: [.running], limit: 10)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func withoutALeaseOrWithoutLeasesTheStoreIsItself(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.providers.sync([ContractFixtures.vast(at: start)])
            try await store.guarded(by: nil).providers.recordPoll(outcome(at: at(1)), provider: "vast")
            #expect(try await store.providers.provider(id: "vast")?.lastPollAt == at(1))
            guard store.leases == nil else { return }
            // A broker alone on its database (SQLite) holds every lease: nothing to check.
            let holder = Holder(nil, now: at(2))
            try await store.guarded(by: holder.guarding("poll:vast")).providers.recordPoll(
                outcome(at: at(2)), provider: "vast")
            #expect(try await store.providers.provider(id: "vast")?.lastPollAt == at(2))
        }
    }
}
