import BrokerCore
import Foundation
import Store
import Synchronization

/// A ``Store/LeaseRepository`` in memory, deciding as the stores do (``BrokerCore/LeaseRules``).
final class InMemoryLeases: LeaseRepository {
    private let leases = Mutex<[String: Lease]>([:])

    func take(_ name: String, owner: String, until: Date, now: Date) async throws -> Lease? {
        leases.withLock { leases in
            let taken = LeaseRules.take(
                name, current: leases[name], owner: owner, newToken: UUID().uuidString, until: until, now: now)
            if let taken { leases[name] = taken }
            return taken
        }
    }

    func release(_ lease: Lease) async throws {
        leases.withLock { leases in
            if leases[lease.name]?.token == lease.token { leases[lease.name] = nil }
        }
    }
}
