import BrokerCore
import Providers

/// Builds each configured provider's pricing adapter, reading its credentials from the
/// environment variables the config names (never from the config itself).
public struct PricingSources: Sendable {
    private let environment: [String: String]
    private let catalog: GPUCatalog

    public init(environment: [String: String], catalog: GPUCatalog = .standard) {
        self.environment = environment
        self.catalog = catalog
    }

    public func source(for provider: ProviderConfiguration) -> any PricingSource {
        let key = provider.apiKeyEnv.flatMap { environment[$0] }
        let baseURL = provider.baseURL ?? ""
        switch provider.kind {
        case .vast:
            return VastPricingSource(providerID: provider.id, baseURL: baseURL, apiKey: key, catalog: catalog)
        case .runpod:
            return RunPodPricingSource(providerID: provider.id, baseURL: baseURL, apiKey: key, catalog: catalog)
        case .lambda:
            return LambdaPricingSource(providerID: provider.id, baseURL: baseURL, apiKey: key, catalog: catalog)
        case .shadeform:
            return ShadeformPricingSource(providerID: provider.id, baseURL: baseURL, apiKey: key, catalog: catalog)
        case .aws:
            // Missing credentials are reported by every poll (the provider shows as failing),
            // rather than stopping the daemon and every other provider with it.
            let credentials = AWSCredentials(
                accessKeyID: key ?? "", secretAccessKey: provider.apiSecretEnv.flatMap { environment[$0] } ?? "")
            return AWSPricingSource(
                providerID: provider.id, endpoint: provider.baseURL ?? AWSPricingSource.defaultEndpoint,
                regions: provider.regions, credentials: credentials, onDemandPrices: provider.onDemandPrices,
                catalog: catalog)
        case .static:
            return StaticPoolSource(providerID: provider.id, machines: provider.nodes)
        }
    }

    /// The environment variables a provider names that are not set, for a warning at start-up.
    public func missingCredentials(for provider: ProviderConfiguration) -> [String] {
        [provider.apiKeyEnv, provider.apiSecretEnv].compactMap { $0 }.filter { environment[$0]?.isEmpty ?? true }
    }
}
