import Providers

/// The instance APIs of the configured providers, by provider id.
public struct Provisioners: Sendable {
    private let byProvider: [String: any InstanceProvisioner]

    public init(_ provisioners: [any InstanceProvisioner]) {
        self.byProvider = Dictionary(provisioners.map { ($0.providerID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(provider: String) -> (any InstanceProvisioner)? { byProvider[provider] }

    public var all: [any InstanceProvisioner] { byProvider.keys.sorted().compactMap { byProvider[$0] } }
}
