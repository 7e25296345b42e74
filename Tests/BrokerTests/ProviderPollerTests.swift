import BrokerCore
import CurlHTTP
import Foundation
import Logging
import Providers
import Store
import Synchronization
import Testing

@testable import Broker

/// A pricing API whose next answer the test chooses.
final class ScriptedSource: PricingSource {
    let providerID = "vast"
    let answer: Mutex<Result<PricingSnapshot, ProviderError>>
    let calls = Atomic<Int>(0)
    /// What happens meanwhile, before each answer (the poll takes that long).
    private let meanwhile: @Sendable () async -> Void

    init(_ answer: Result<PricingSnapshot, ProviderError>, meanwhile: @escaping @Sendable () async -> Void = {}) {
        self.answer = Mutex(answer)
        self.meanwhile = meanwhile
    }

    func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        calls.add(1, ordering: .relaxed)
        await meanwhile()
        return try answer.withLock { $0 }.get()
    }
}

/// No network in these tests: the scripted source never calls it.
struct UnusedTransport: HTTPTransport {
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw ProviderError.transport("no network in tests")
    }
}

@Suite("Polling a provider into the store")
struct ProviderPollerTests {
    private let database: BrokerDatabase
    private let market = LiveMarket()
    private let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-poller-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        try await SQLiteProviderRepository(database: database).sync([
            ProviderRecord(
                id: "vast", kind: "vast", baseUrl: "http://127.0.0.1:9/vast", enabled: true, pollIntervalS: 3600,
                offerExpiryS: 300, createdAt: clock.now)
        ])
    }

    private func offer(_ native: String, dollars: Double, gpu: String = "RTX 4090") -> Offer {
        Offer(
            id: OfferID(provider: "vast", native: native), gpu: GPUName(resolving: gpu), gpuCount: 1, gpuMemoryGB: 24,
            interconnect: nil, vcpus: 16, memoryGB: 64, diskGB: 500, region: "Oregon, US", country: "US",
            market: .onDemand, pricePerHour: Money(dollars: dollars)!, available: 1, reliability: 0.98,
            firstSeenAt: clock.now, lastSeenAt: clock.now, raw: nil)
    }

    /// Runs a poller (hourly schedule: only "poll now" and the first poll happen) around `body`.
    private func withPoller(
        _ source: ScriptedSource, _ body: (ProviderPoller) async throws -> Void
    ) async throws {
        let poller = ProviderPoller(
            source: source, transport: UnusedTransport(), store: .sqlite(database), market: market, clock: clock,
            schedule: PollSchedule(interval: .seconds(3600), jitterFraction: 0), expiry: .seconds(300),
            logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await poller.run() }
            try await body(poller)
            group.cancelAll()
        }
    }

    @Test func pollStoresTheOffersAndCountsUnknownGPUs() async throws {
        let source = ScriptedSource(
            .success(
                PricingSnapshot(
                    offers: [offer("1", dollars: 0.4), offer("2", dollars: 0.5, gpu: "Voodoo 5")],
                    skipped: [SkippedRecord(nativeID: "3", reason: "no price")])))
        try await withPoller(source) { poller in
            let report = try #require(await poller.pollNow())
            #expect(report.error == nil)
            #expect(report.offers == 2 && report.unknownGPUOffers == 1 && report.skipped == 1)
        }
        let stored = try await SQLiteOfferRepository(database: database).liveOffers().map(\.id.description)
        #expect(stored.sorted() == ["vast:1", "vast:2"])
        #expect(market.current.search(OfferFilter(), limit: 10).offers.map(\.id.description) == ["vast:1", "vast:2"])
        let provider = try #require(try await SQLiteProviderRepository(database: database).provider(id: "vast"))
        #expect(provider.lastSuccessAt == clock.now && provider.consecutiveFailures == 0)
    }

    @Test func failuresAreRecordedOpenTheCircuitAndExpireOldOffers() async throws {
        let source = ScriptedSource(.success(PricingSnapshot(offers: [offer("1", dollars: 0.4)])))
        try await withPoller(source) { poller in
            _ = await poller.pollNow()
            source.answer.withLock { $0 = .failure(.http(status: 502, snippet: "bad gateway")) }
            clock.advance(by: 400)
            var last: PollReport?
            for _ in 0..<3 { last = await poller.pollNow() }
            #expect(last?.error == "HTTP 502: bad gateway")
        }
        let provider = try #require(try await SQLiteProviderRepository(database: database).provider(id: "vast"))
        #expect(provider.consecutiveFailures == 3)
        #expect(provider.circuitState == .open)
        #expect(provider.lastError == "HTTP 502: bad gateway")
        // Not seen for longer than the expiry while the provider failed: withdrawn.
        #expect(try await SQLiteOfferRepository(database: database).liveOffers().isEmpty)
        #expect(market.current.count == 0)
    }

    @Test func disabledProviderIsNotPolled() async throws {
        let source = ScriptedSource(.success(PricingSnapshot(offers: [])))
        _ = try await SQLiteProviderRepository(database: database).setEnabled(false, provider: "vast")
        try await withPoller(source) { poller in
            #expect(await poller.pollNow() == nil)
        }
        #expect(source.calls.load(ordering: .relaxed) == 0)
    }
}
