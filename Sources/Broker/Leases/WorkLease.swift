import BrokerCore
import Foundation
import Logging
import Store
import Synchronization

/// This broker's hold on one lease (``BrokerCore/Lease``): a service that several brokers on one
/// database must not run at once asks ``isHeld()`` before each pass. The lease is taken when free,
/// renewed once a third of it is spent (by the pass, or by ``WorkLeases`` between passes), and
/// given up when the broker stops.
public final class WorkLease: Sendable {
    /// How long a lease lasts unrenewed: how long the work waits when its broker dies.
    public static let defaultDuration = Duration.seconds(30)

    public let name: String
    private let leases: any LeaseRepository
    private let owner: String
    private let duration: Duration
    private let clock: any BrokerClock
    private let logger: Logger
    private let held = Mutex<Lease?>(nil)

    public init(
        _ name: String, leases: any LeaseRepository, owner: String, duration: Duration = WorkLease.defaultDuration,
        clock: any BrokerClock, logger: Logger
    ) {
        self.name = name
        self.leases = leases
        self.owner = owner
        self.duration = duration
        self.clock = clock
        self.logger = logger
    }

    /// Whether this broker holds the lease now, taking or renewing it when due. A database that
    /// cannot be asked counts as not held: the work waits rather than runs twice.
    public func isHeld() async -> Bool {
        let now = clock.now
        if let lease = held.withLock({ $0 }), lease.expiresAt > now,
            !LeaseRules.needsRenewal(lease, duration: duration, now: now)
        {
            return true
        }
        return await take(at: now)
    }

    /// Renews the lease when this broker holds it and a third of it is spent: a service whose
    /// passes are further apart than that keeps its work.
    func renewIfHeld() async {
        let now = clock.now
        guard let lease = held.withLock({ $0 }), LeaseRules.needsRenewal(lease, duration: duration, now: now) else {
            return
        }
        _ = await take(at: now)
    }

    private func take(at now: Date) async -> Bool {
        let taken: Lease?
        do {
            taken = try await leases.take(
                name, owner: owner, until: now.addingTimeInterval(duration.timeInterval), now: now)
        } catch {
            logger.warning("lease not renewed", metadata: ["lease": "\(name)", "error": "\(error)"])
            taken = nil
        }
        let before = held.withLock { current in
            defer { current = taken }
            return current
        }
        if before?.token != taken?.token {
            if taken != nil {
                logger.info("lease taken", metadata: ["lease": "\(name)", "owner": "\(owner)"])
            } else {
                logger.info("lease held by another broker", metadata: ["lease": "\(name)"])
            }
        }
        return taken != nil
    }

    /// The lease as this broker last took or renewed it; nil while it does not hold it.
    public var current: Lease? { held.withLock { $0 } }

    /// What a store guarded by this lease checks before each transaction
    /// (``Store/BrokerStore/guarded(by:)``): the lease this broker holds now, its expiry read on
    /// the broker's clock.
    public var writeGuard: LeaseGuard {
        LeaseGuard(name: name, held: { self.current }, now: { [clock] in clock.now })
    }

    /// Gives the lease up, so another broker takes the work at once.
    public func release() async {
        guard
            let lease = held.withLock({ current in
                defer { current = nil }
                return current
            })
        else { return }
        try? await leases.release(lease)
    }
}
