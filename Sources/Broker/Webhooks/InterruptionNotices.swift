import BrokerCore
import Store

/// Where interruption notices land, whether a provider's signed webhook or an owner pool's machine
/// brings them: each delivery is recorded with its effects in one transaction, once per delivery
/// id, and a handled one wakes the scheduler to replace what is being reclaimed.
public struct InterruptionNotices: Sendable {
    private let providers: any ProviderRepository
    private let webhooks: any WebhookRepository
    private let clock: any BrokerClock
    private let signals: FleetSignals

    public init(
        providers: any ProviderRepository, webhooks: any WebhookRepository, clock: any BrokerClock,
        signals: FleetSignals
    ) {
        self.providers = providers
        self.webhooks = webhooks
        self.clock = clock
        self.signals = signals
    }

    /// Whether `provider` is one this broker knows (configured, or an owner pool).
    public func knows(provider: String) async throws -> Bool {
        try await providers.provider(id: provider) != nil
    }

    /// Whether `provider`'s delivery `deliveryID` was recorded already.
    public func isDelivered(provider: String, deliveryID: String) async throws -> Bool {
        try await webhooks.isDelivered(provider: provider, deliveryID: deliveryID)
    }

    /// Records `notices` as `provider`'s delivery `deliveryID`. A notice for an instance no node
    /// of `provider` has undoes the whole delivery: ``Store/StoreError/notFound(entity:id:)``.
    public func record(_ notices: [InterruptionNotice], deliveryID: String, provider: String) async throws
        -> NoticeDelivery
    {
        let delivery = try await webhooks.record(
            notices: notices, deliveryID: deliveryID, provider: provider, at: clock.now)
        if case .handled = delivery { signals.nodeReclaimed() }
        return delivery
    }
}
