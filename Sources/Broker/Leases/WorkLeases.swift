import BrokerCore
import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// This broker's leases on a database several brokers share, and the service that renews the held
/// ones between their passes (dstack's heartbeater) and gives them up when the broker stops.
public final class WorkLeases: Service, Sendable {
    private let repository: any LeaseRepository
    private let owner: String
    private let duration: Duration
    private let clock: any BrokerClock
    private let logger: Logger
    private let made = Mutex<[WorkLease]>([])

    /// The leases of `store`; nil where the broker is alone on its database (no leases).
    public init?(
        store: BrokerStore, owner: String = BrokerReplica.current, duration: Duration = WorkLease.defaultDuration,
        clock: any BrokerClock, logger: Logger
    ) {
        guard let repository = store.leases else { return nil }
        self.repository = repository
        self.owner = owner
        self.duration = duration
        self.clock = clock
        self.logger = logger
    }

    /// The lease `name` (`scheduler`, `poll:<provider>`, ...), renewed by this service while held.
    public func lease(_ name: String) -> WorkLease {
        let lease = WorkLease(name, leases: repository, owner: owner, duration: duration, clock: clock, logger: logger)
        made.withLock { $0.append(lease) }
        return lease
    }

    /// Stops renewing `lease` (its work is over; the caller releases it).
    func forget(_ lease: WorkLease) {
        made.withLock { $0.removeAll { $0 === lease } }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.duration / 6)
                for lease in self.made.withLock({ $0 }) { await lease.renewIfHeld() }
            }
        }
        for lease in made.withLock({ $0 }) { await lease.release() }
    }
}

/// Who this broker is among the brokers on one database: the host, the process and a random part.
public enum BrokerReplica {
    public static let current: String = {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        return "\(host)-\(pid)-\(UUID().uuidString.prefix(8).lowercased())"
    }()
}
