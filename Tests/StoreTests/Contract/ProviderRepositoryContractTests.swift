import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Providers on every backend: synced with the config, health recorded")
struct ProviderRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func provider(_ id: String, enabled: Bool = true, interval: Int = 60, kind: String? = nil)
        -> ProviderRecord
    {
        ProviderRecord(
            id: id, kind: kind ?? id, baseUrl: "http://127.0.0.1/\(id)", enabled: enabled, pollIntervalS: interval,
            offerExpiryS: 300, createdAt: start)
    }

    @Test(arguments: StoreBackend.available)
    func syncKeepsAnOperatorsDisableAndTurnsOffWhatTheConfigNoLongerNames(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let providers = store.providers
            try await providers.sync([provider("vast"), provider("lambda"), provider("pool_1", kind: "pool")])
            _ = try await providers.setEnabled(false, provider: "lambda")
            try await providers.sync([provider("lambda", interval: 30), provider("runpod", enabled: false)])
            let stored = try await providers.providers()
            #expect(stored.map(\.id) == ["lambda", "pool_1", "runpod", "vast"])
            #expect(stored.map(\.enabled) == [false, true, false, false])
            #expect(stored.first?.pollIntervalS == 30)
            await #expect(throws: StoreError.notFound(entity: "provider", id: "aws")) {
                try await providers.setEnabled(true, provider: "aws")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func aPollsHealthIsStoredAndASuccessKeepsTheLastError(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let providers = store.providers
            try await providers.sync([provider("vast")])
            try await providers.recordPoll(
                PollOutcome(
                    at: start, duration: .milliseconds(1500), error: "HTTP 503", consecutiveFailures: 3,
                    circuitState: .open), provider: "vast")
            let later = start.addingTimeInterval(60)
            try await providers.recordPoll(
                PollOutcome(
                    at: later, duration: .milliseconds(200), error: nil, consecutiveFailures: 0, circuitState: .closed),
                provider: "vast")
            let vast = try #require(try await providers.provider(id: "vast"))
            #expect(vast.lastError == "HTTP 503")
            #expect(vast.lastSuccessAt == later)
            #expect(vast.lastPollAt == later)
            #expect(vast.lastPollDurationMs == 200)
            #expect(vast.circuitState == .closed)
            await #expect(throws: StoreError.notFound(entity: "provider", id: "aws")) {
                try await providers.recordPoll(
                    PollOutcome(
                        at: later, duration: .zero, error: nil, consecutiveFailures: 0, circuitState: .closed),
                    provider: "aws")
            }
        }
    }
}
