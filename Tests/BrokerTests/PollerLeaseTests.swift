import BrokerCore
import Foundation
import Logging
import Providers
import Store
import Testing

@testable import Broker

/// A poller on PostgreSQL whose broker loses the provider's lease while the provider answers.
@Suite(
    "A poll that outlived its lease: dropped, not written, and not counted against the provider",
    .enabled(if: TestPostgres.url != nil))
struct PollerLeaseTests {
    private let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
    private let market = LiveMarket()

    @Test func aPollWhoseLeaseWasTakenOverMeanwhileLandsNothingAndLeavesTheCircuitClosed() async throws {
        try await TestPostgres.withStore { store in
            let leases = try #require(store.leases)
            try await store.providers.sync([
                ProviderRecord(
                    id: "vast", kind: "vast", baseUrl: "http://127.0.0.1:9/vast", enabled: true, pollIntervalS: 3600,
                    offerExpiryS: 300, createdAt: clock.now)
            ])
            let offer = Offer(
                id: OfferID(provider: "vast", native: "1"), gpu: GPUName(resolving: "RTX 4090"), gpuCount: 1,
                gpuMemoryGB: 24, interconnect: nil, vcpus: 16, memoryGB: 64, diskGB: 500, region: "Oregon, US",
                country: "US", market: .onDemand, pricePerHour: Money(dollars: 0.4)!, available: 1, reliability: 0.98,
                firstSeenAt: clock.now, lastSeenAt: clock.now, raw: nil)
            // The provider takes 31 s to answer; meanwhile a's lease (30 s) runs out and b takes it.
            let source = ScriptedSource(.success(PricingSnapshot(offers: [offer]))) { [clock] in
                clock.advance(by: 31)
                _ = try? await leases.take(
                    "poll:vast", owner: "b", until: clock.now.addingTimeInterval(30), now: clock.now)
            }
            let lease = WorkLease(
                "poll:vast", leases: leases, owner: "a", duration: .seconds(30), clock: clock,
                logger: Logger(label: "test"))
            let poller = ProviderPoller(
                source: source, transport: UnusedTransport(), store: store, market: market, clock: clock,
                schedule: PollSchedule(interval: .seconds(3600), jitterFraction: 0), expiry: .seconds(300),
                logger: Logger(label: "test"), lease: lease)
            let report = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await poller.run() }
                defer { group.cancelAll() }
                return await poller.pollNow()
            }

            #expect(source.calls.load(ordering: .relaxed) == 1)
            #expect(report?.error == "\(StoreError.leaseLost("poll:vast"))")
            #expect(try await store.offers().liveOffers().isEmpty)
            #expect(market.current.count == 0)
            // Not the provider's failure: nothing recorded against it, its circuit closed.
            let provider = try #require(try await store.providers.provider(id: "vast"))
            #expect(provider.lastPollAt == nil && provider.consecutiveFailures == 0 && provider.circuitState == .closed)
        }
    }
}
