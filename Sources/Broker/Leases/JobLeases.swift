import BrokerCore
import Store
import Synchronization

/// A scheduler's leases on the jobs it works on, where several brokers share the database: each
/// job is scheduled by one broker at a time (the lease `job:<id>`), so the brokers split the queue
/// between them, and a job whose broker died is taken over once its lease runs out.
public final class JobLeases: Sendable {
    private let leases: WorkLeases
    private let held = Mutex<[String: WorkLease]>([:])

    public init(_ leases: WorkLeases) {
        self.leases = leases
    }

    /// Whether this broker holds the lease of job `id` now, taking or renewing it when due.
    func isHeld(_ id: String) async -> Bool {
        let lease = held.withLock { held in
            if let lease = held[id] { return lease }
            let lease = leases.lease("job:\(id)")
            held[id] = lease
            return lease
        }
        return await lease.isHeld()
    }

    /// The lease of job `id` as this broker last took or renewed it; nil while it does not hold it.
    func current(_ id: String) -> Lease? {
        held.withLock { $0[id] }?.current
    }

    /// Gives up the leases of every job but `kept` (those the scheduler no longer works on: ended,
    /// or held by another broker).
    func release(allBut kept: Set<String>) async {
        let dropped = held.withLock { held in
            let dropped = held.filter { !kept.contains($0.key) }
            for id in dropped.keys { held[id] = nil }
            return Array(dropped.values)
        }
        for lease in dropped {
            leases.forget(lease)
            await lease.release()
        }
    }
}
