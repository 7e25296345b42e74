import BrokerCore
import Foundation

/// A provider's instance API, as the scheduler and the reconciler see it: launch one node, list
/// the instances that carry a gridbroker tag, terminate one.
///
/// Every instance is tagged with the broker's node id when it is launched (see ``InstanceTag``),
/// so that after a crash the broker can find an instance it asked for but never heard about, and
/// so that instances that are not the broker's are never touched.
public protocol InstanceProvisioner: Sendable {
    /// The configured provider id.
    var providerID: String { get }

    /// Asks the provider for one instance of `request.offer`, tagged with `request.nodeID`.
    /// A refusal for lack of capacity is ``ProviderError/insufficientCapacity(scope:message:)``.
    func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance

    /// Every instance on the account that carries a gridbroker tag, in any state the provider
    /// still reports. Instances without the tag are not the broker's and are left out.
    func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance]

    /// Asks the provider to terminate the instance. An instance that is already gone is not an
    /// error: terminating is safe to repeat.
    func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError)

    /// How the provider charges `offer`: what a launch of it bids (see ``SpotBid``).
    func bidStyle(for offer: Offer) -> SpotBid.Style
}

extension InstanceProvisioner {
    /// A fixed price: no bid.
    public func bidStyle(for offer: Offer) -> SpotBid.Style { .fixed }
}
