import BrokerCore
import Foundation
import Logging
import Providers
import ServiceLifecycle
import Store

/// The daemon's market-data side: one poller per configured provider, over one shared HTTP
/// transport, writing to the store and to the live market the API searches.
public struct MarketData: Sendable {
    public let market: LiveMarket
    public let pollers: [ProviderPoller]
    public var directory: PollerDirectory { PollerDirectory(pollers) }

    /// Registers the configured providers in the store, loads the live offers it holds, and builds
    /// the pollers.
    public static func start(
        configuration: BrokerConfiguration, store: BrokerStore, transport: any HTTPTransport,
        clock: any BrokerClock, environment: [String: String], leases: WorkLeases? = nil, logger: Logger
    ) async throws -> MarketData {
        let providers = store.providers
        try await providers.sync(
            configuration.providers.map { provider in
                ProviderRecord(
                    id: provider.id, kind: provider.kind.rawValue, baseUrl: provider.baseURL ?? "",
                    enabled: provider.enabled, pollIntervalS: provider.pollIntervalSeconds,
                    offerExpiryS: provider.offerExpirySeconds, createdAt: clock.now)
            })
        let sources = ProviderAdapters(environment: environment)
        let offers = store.offers()
        let market = try await LiveMarket.loading(from: offers)
        let pollers = configuration.providers.map { provider in
            let missing = sources.missingCredentials(for: provider)
            if !missing.isEmpty {
                logger.warning(
                    "provider credentials not set; its polls will fail",
                    metadata: ["provider": "\(provider.id)", "variables": "\(missing.joined(separator: ", "))"])
            }
            return ProviderPoller(
                source: sources.source(for: provider), transport: transport, store: store, market: market, clock: clock,
                schedule: PollSchedule(interval: .seconds(provider.pollIntervalSeconds)),
                expiry: .seconds(provider.offerExpirySeconds), logger: logger,
                lease: leases?.lease("poll:\(provider.id)"))
        }
        return MarketData(market: market, pollers: pollers)
    }
}
