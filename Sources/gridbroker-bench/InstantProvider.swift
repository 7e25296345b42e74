import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Synchronization

/// A provider whose instance API answers at once (its latency is not the broker's), remembering
/// when each launch request reached it.
final class InstantProvider: InstanceProvisioner {
    let providerID: String
    private let state = Mutex<(instances: [ProviderInstance], launches: [ContinuousClock.Instant])>(([], []))

    init(providerID: String) {
        self.providerID = providerID
    }

    var launchCount: Int { state.withLock { $0.launches.count } }

    func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        state.withLock { state in
            state.launches.append(.now)
            let instance = ProviderInstance(
                nativeID: "i-\(state.launches.count)", nodeID: request.nodeID, status: .pending)
            state.instances.append(instance)
            return instance
        }
    }

    func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        state.withLock { $0.instances }
    }

    func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        state.withLock { $0.instances.removeAll { $0.nativeID == nativeID } }
    }

    /// When the launch request after the first `count` arrived (waiting for it).
    func waitForLaunch(after count: Int) async throws -> ContinuousClock.Instant {
        while true {
            if let instant = state.withLock({ $0.launches.count > count ? $0.launches[count] : nil }) { return instant }
            try Task.checkCancellation()
            await Task.yield()
        }
    }
}

/// The provider above needs no network.
struct UnusedTransport: HTTPTransport {
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw ProviderError.transport("no network in this benchmark")
    }
}
