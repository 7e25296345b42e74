import BrokerCore
import Foundation
import Providers
import Synchronization

/// An in-memory provider instance API: launches succeed (pending) unless the test makes an offer
/// refuse; the test moves instances along and watches what the broker did.
final class FakeInstanceProvider: InstanceProvisioner {
    let providerID: String
    private let state = Mutex(State())
    /// Called inside each launch, before the instance exists: tests check the broker's intent here.
    let beforeLaunch: @Sendable (LaunchRequest) async -> Void
    /// How the fake provider charges a spot offer (a fixed price unless a test says otherwise).
    let spotBidStyle: SpotBid.Style

    struct State {
        var instances: [String: ProviderInstance] = [:]
        var refusals: [OfferID: ProviderError] = [:]
        var onceRefusals: [OfferID: ProviderError] = [:]
        var launches: [LaunchRequest] = []
        var terminations: [String] = []
        var counter = 0
        /// Instances left out of listings (a glitch of the provider's API), still running.
        var hidden: Set<String> = []
        /// What happens while the next listing is under way.
        var duringNextListing: (@Sendable () async -> Void)?
    }

    init(
        _ providerID: String, spotBidStyle: SpotBid.Style = .fixed,
        beforeLaunch: @escaping @Sendable (LaunchRequest) async -> Void = { _ in }
    ) {
        self.providerID = providerID
        self.spotBidStyle = spotBidStyle
        self.beforeLaunch = beforeLaunch
    }

    func bidStyle(for offer: Offer) -> SpotBid.Style { offer.market == .spot ? spotBidStyle : .fixed }

    func refuse(_ offer: String, with error: ProviderError) {
        state.withLock { $0.refusals[OfferID(offer)!] = error }
    }

    /// The next launch of `offer` fails with `error`; later ones work.
    func refuseOnce(_ offer: String, with error: ProviderError) {
        state.withLock { $0.onceRefusals[OfferID(offer)!] = error }
    }

    func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        await beforeLaunch(request)
        return try state.withLock { state throws(ProviderError) in
            state.launches.append(request)
            if let refusal = state.refusals[request.offer.id] { throw refusal }
            if let refusal = state.onceRefusals.removeValue(forKey: request.offer.id) { throw refusal }
            state.counter += 1
            let instance = ProviderInstance(
                nativeID: "\(providerID)-\(state.counter)", nodeID: request.nodeID, status: .pending)
            state.instances[instance.nativeID] = instance
            return instance
        }
    }

    /// `action` happens while the next listing is under way (before it answers).
    func duringNextListing(_ action: @escaping @Sendable () async -> Void) {
        state.withLock { $0.duringNextListing = action }
    }

    func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        let meanwhile = state.withLock { state in
            defer { state.duringNextListing = nil }
            return state.duringNextListing
        }
        await meanwhile?()
        return state.withLock { state in
            state.instances.values.filter { !state.hidden.contains($0.nativeID) }.sorted { $0.nativeID < $1.nativeID }
        }
    }

    func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        state.withLock { state in
            state.terminations.append(nativeID)
            state.instances[nativeID]?.status = .terminated
        }
    }

    /// Creates a tagged instance as if a launch had happened that the broker never heard back from.
    @discardableResult
    func plant(nodeID: String, status: InstanceStatus = .pending) -> String {
        state.withLock { state in
            state.counter += 1
            let id = "\(providerID)-\(state.counter)"
            state.instances[id] = ProviderInstance(nativeID: id, nodeID: nodeID, status: status)
            return id
        }
    }

    /// The instance disappears from the listing (as if the provider reclaimed it and forgot it).
    func remove(_ nativeID: String) {
        state.withLock { _ = $0.instances.removeValue(forKey: nativeID) }
    }

    /// The instance is left out of listings until ``unhide(_:)``, running all the while.
    func hide(_ nativeID: String) {
        state.withLock { _ = $0.hidden.insert(nativeID) }
    }

    func unhide(_ nativeID: String) {
        state.withLock { _ = $0.hidden.remove(nativeID) }
    }

    /// Every instance not terminated moves to `status`.
    func setAll(_ status: InstanceStatus) {
        state.withLock { state in
            for id in state.instances.keys where state.instances[id]?.status != .terminated {
                state.instances[id]?.status = status
            }
        }
    }

    /// Instances still billing (not terminated).
    var live: [ProviderInstance] {
        state.withLock { Array($0.instances.values.filter { $0.status != .terminated }) }.sorted {
            $0.nativeID < $1.nativeID
        }
    }

    var launches: [LaunchRequest] { state.withLock { $0.launches } }
}
