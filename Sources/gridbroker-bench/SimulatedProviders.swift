import Broker
import Foundation
import Providers

/// The simulated market's providers as the default configuration lists them, pointed at a
/// simulated market served on `baseURL`.
struct SimulatedProviders {
    /// The environment holding the simulated market's API key.
    static let environment = ["SIMULATED_MARKET_API_KEY": "bench"]

    let configuration: BrokerConfiguration
    let providers: [ProviderConfiguration]

    init(baseURL: String) throws {
        configuration = try ConfigurationLoader(environment: Self.environment).load(path: nil)
        providers = configuration.providers.map { provider in
            var provider = provider
            provider.baseURL = provider.baseURL?.replacingOccurrences(of: "http://127.0.0.1:9400", with: baseURL)
            return provider
        }
    }

    /// Each provider's id and pricing snapshot, fetched one provider after the other through `transport`.
    func snapshots(transport: some HTTPTransport) async throws -> [(String, PricingSnapshot)] {
        let sources = ProviderAdapters(environment: Self.environment)
        var snapshots: [(String, PricingSnapshot)] = []
        for provider in providers {
            snapshots.append(
                (provider.id, try await sources.source(for: provider).fetchOffers(transport: transport, now: Date())))
        }
        return snapshots
    }
}
