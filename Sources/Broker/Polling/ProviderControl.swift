import BrokerCore
import Store

/// What operators do to providers: list them, turn their polling on and off, poll one now.
public struct ProviderControl: Sendable {
    /// Why a provider could not be changed or polled.
    public enum Refusal: Error, Sendable, Equatable {
        case unknown(String)
        case disabled(String)
        /// Still stored, but gone from the configuration: nothing polls it.
        case notConfigured(String)
        case shuttingDown
    }

    private let providers: any ProviderRepository
    private let pollers: PollerDirectory

    public init(providers: any ProviderRepository, pollers: PollerDirectory) {
        self.providers = providers
        self.pollers = pollers
    }

    public func list() async throws -> [ProviderRecord] {
        try await providers.providers()
    }

    public func provider(id: String) async throws -> ProviderRecord? {
        try await providers.provider(id: id)
    }

    /// Whether provider `id` is in the configuration, so that something polls it.
    public func isPolled(_ id: String) -> Bool {
        pollers[id] != nil
    }

    /// Turns provider `id`'s polling on or off (the operator's choice outlives restarts).
    public func setEnabled(_ enabled: Bool, provider id: String) async throws -> ProviderRecord {
        do {
            return try await providers.setEnabled(enabled, provider: id)
        } catch StoreError.notFound {
            throw Refusal.unknown(id)
        }
    }

    /// Polls provider `id` now, outside its schedule, and returns what the poll found.
    public func pollNow(_ id: String) async throws -> PollReport {
        guard let provider = try await providers.provider(id: id) else { throw Refusal.unknown(id) }
        guard provider.enabled else { throw Refusal.disabled(id) }
        guard let poller = pollers[id] else { throw Refusal.notConfigured(id) }
        guard let report = await poller.pollNow() else { throw Refusal.shuttingDown }
        return report
    }
}
