import BrokerCore
import Providers

/// Builds each configured provider's adapters (its pricing source and its instance provisioner),
/// reading credentials from the environment variables the config names (never from the config).
public struct ProviderAdapters: Sendable {
    private let environment: [String: String]
    private let catalog: GPUCatalog

    public init(environment: [String: String], catalog: GPUCatalog = .standard) {
        self.environment = environment
        self.catalog = catalog
    }

    public func source(for provider: ProviderConfiguration) -> any PricingSource {
        let key = apiKey(of: provider)
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
            return AWSPricingSource(
                providerID: provider.id, endpoint: provider.baseURL ?? AWSPricingSource.defaultEndpoint,
                regions: provider.regions, credentials: awsCredentials(of: provider),
                onDemandPrices: provider.onDemandPrices, maxInstances: provider.maxInstances, catalog: catalog)
        }
    }

    /// The provider's instance API.
    public func provisioner(for provider: ProviderConfiguration) -> any InstanceProvisioner {
        let key = apiKey(of: provider)
        let baseURL = provider.baseURL ?? ""
        switch provider.kind {
        case .vast:
            return VastProvisioner(
                providerID: provider.id, baseURL: baseURL, apiKey: key, bidMarginPPM: provider.bidMarginPPM)
        case .runpod:
            return RunPodProvisioner(
                providerID: provider.id, baseURL: baseURL, apiKey: key, bidMarginPPM: provider.bidMarginPPM)
        case .lambda:
            return LambdaProvisioner(
                providerID: provider.id, baseURL: baseURL, apiKey: key, sshKeyNames: provider.sshKeyNames)
        case .shadeform:
            return ShadeformProvisioner(providerID: provider.id, baseURL: baseURL, apiKey: key)
        case .aws:
            return AWSProvisioner(
                providerID: provider.id, endpoint: provider.baseURL ?? AWSPricingSource.defaultEndpoint,
                regions: provider.regions, credentials: awsCredentials(of: provider), imageID: provider.imageID ?? "",
                onDemandPrices: provider.onDemandPrices)
        }
    }

    /// The environment variables a provider names that are not set, for a warning at start-up.
    public func missingCredentials(for provider: ProviderConfiguration) -> [String] {
        [provider.apiKeyEnv, provider.apiSecretEnv, provider.apiSessionTokenEnv].compactMap { $0 }.filter {
            environment[$0]?.isEmpty ?? true
        }
    }

    private func apiKey(of provider: ProviderConfiguration) -> String? {
        provider.apiKeyEnv.flatMap { environment[$0] }
    }

    /// Missing credentials are reported by every call (the provider shows as failing), rather than
    /// stopping the daemon and every other provider with it.
    private func awsCredentials(of provider: ProviderConfiguration) -> AWSCredentials {
        AWSCredentials(
            accessKeyID: apiKey(of: provider) ?? "",
            secretAccessKey: provider.apiSecretEnv.flatMap { environment[$0] } ?? "",
            sessionToken: provider.apiSessionTokenEnv.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 })
    }
}
