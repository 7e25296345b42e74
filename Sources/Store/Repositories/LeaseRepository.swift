import BrokerCore
import Foundation

/// Where the brokers sharing one database keep their leases (``BrokerCore/Lease``).
public protocol LeaseRepository: Sendable {
    /// Takes or renews the lease `name` for `owner` until `until`, as ``BrokerCore/LeaseRules``
    /// says, in one transaction that locks it; returns the lease `owner` now holds, nil while
    /// another broker holds it.
    func take(_ name: String, owner: String, until: Date, now: Date) async throws -> Lease?
    /// Gives a lease up (a broker stopping), unless it was taken over since.
    func release(_ lease: Lease) async throws
}
