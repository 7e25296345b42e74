import BrokerCore
import Foundation

/// What a store guarded by a lease (``BrokerStore/guarded(by:)``) checks in each transaction
/// before it reads or writes: that the lease its holder believes it holds is still in force with
/// that token. A broker whose lease ran out in the middle of a pass, or was taken over, has its
/// writes refused with ``StoreError/leaseLost(_:)`` and nothing of them lands (dstack's "final
/// write guarded by id and token").
public struct LeaseGuard: Sendable {
    public let name: String
    private let held: @Sendable () -> Lease?
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - held: the lease as its holder last took or renewed it; nil while it does not hold it.
    ///   - now: the time the lease's expiry is compared with.
    public init(name: String, held: @escaping @Sendable () -> Lease?, now: @escaping @Sendable () -> Date) {
        self.name = name
        self.held = held
        self.now = now
    }

    /// The lease to check and the time to check it at; ``StoreError/leaseLost(_:)`` at once when
    /// its holder knows it no longer holds it.
    public func lease() throws -> (lease: Lease, at: Date) {
        guard let lease = held() else { throw StoreError.leaseLost(name) }
        return (lease, now())
    }
}
