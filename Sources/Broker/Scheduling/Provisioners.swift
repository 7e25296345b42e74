import Providers

/// The instance APIs of the configured providers, by provider id, and of the owner pools that are
/// in the market now (pools come and go while the daemon runs).
public struct Provisioners: Sendable {
    private let byProvider: [String: any InstanceProvisioner]
    private let pools: PoolMachines?

    public init(_ provisioners: [any InstanceProvisioner], pools: PoolMachines? = nil) {
        self.byProvider = Dictionary(provisioners.map { ($0.providerID, $0) }, uniquingKeysWith: { first, _ in first })
        self.pools = pools
    }

    public subscript(provider: String) -> (any InstanceProvisioner)? {
        if let configured = byProvider[provider] { return configured }
        guard let pools, pools.poolIDs.contains(provider) else { return nil }
        return PoolProvisioner(providerID: provider, machines: pools)
    }

    /// Whether `provider` is an owner pool: its machines are reclaimed one at a time, by their
    /// owners, not as a market's spot pool.
    public func isOwnerPool(_ provider: String) -> Bool {
        byProvider[provider] == nil && pools?.poolIDs.contains(provider) == true
    }

    public var all: [any InstanceProvisioner] {
        let ids = Set(byProvider.keys).union(pools?.poolIDs ?? [])
        return ids.sorted().compactMap { self[$0] }
    }
}
