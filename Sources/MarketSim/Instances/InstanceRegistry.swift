import Synchronization

/// Every instance of every provider of the simulated market, shared by all requests.
///
/// Capacity is counted in pools: a pool is whatever one provider sells a limited number of (a
/// Vast ask, a RunPod GPU type, a Lambda type in a region, an EC2 type in a zone, a Shadeform
/// type in a region), named `<provider>:<key>`. An instance holds `units` of its pool from launch
/// until it is terminated; the caller says how many units the pool has at the time.
final class InstanceRegistry: Sendable {
    /// What a launch came to.
    enum LaunchOutcome {
        case launched([SimulatedInstance])
        /// Instances an earlier launch with the same client token made (EC2 idempotency).
        case existing([SimulatedInstance])
        case noCapacity
    }

    /// A pool a launch may take from, with its capacity now.
    struct Candidate {
        var pool: String
        var capacity: Int
        /// The spot zone of a spot launch: while its trace says no spot, the pool has no room.
        var spotZone: String?
    }

    private struct State {
        var instances: [SimulatedInstance] = []
        var issued: [SimulatedProvider: Int] = [:]
        var launches = 0
    }

    let seed: UInt64
    let timings: InstanceTimings
    /// Which spot zones have spot capacity when.
    let spotZones: SpotZones
    private let state = Mutex(State())

    init(seed: UInt64, timings: InstanceTimings, spotZones: SpotZones = SpotZones()) {
        self.seed = seed
        self.timings = timings
        self.spotZones = spotZones
    }

    /// Units of each of `provider`'s pools held at `time`.
    func unitsInUse(_ provider: SimulatedProvider, at time: Double) -> [String: Int] {
        state.withLock { state in
            var used: [String: Int] = [:]
            for instance in state.instances
            where instance.provider == provider && instance.phase(at: time) != .terminated {
                used[instance.pool, default: 0] += instance.units
            }
            return used
        }
    }

    /// Launches `count` instances of `units` each in the first candidate pool with room for all
    /// of them, atomically. `make` builds an instance for the chosen candidate's index; the
    /// registry fills in its id, pool, units, times and reservation.
    func launch(
        _ provider: SimulatedProvider, candidates: [Candidate], units: Int, count: Int, clientToken: String? = nil,
        at time: Double, make: (Int) -> SimulatedInstance
    ) -> LaunchOutcome {
        state.withLock { state in
            state.instances.removeAll { !$0.isListed(at: time) }
            if let clientToken {
                let earlier = state.instances.filter { $0.provider == provider && $0.clientToken == clientToken }
                if !earlier.isEmpty { return .existing(earlier) }
            }
            let live = state.instances.filter { $0.provider == provider && $0.phase(at: time) != .terminated }
            guard
                let chosen = candidates.indices.first(where: { index in
                    let candidate = candidates[index]
                    if let zone = candidate.spotZone, !spotZones.hasSpot(zone, at: time) { return false }
                    let used = live.filter { $0.pool == candidate.pool }.reduce(0) { $0 + $1.units }
                    return used + units * count <= candidate.capacity
                })
            else { return .noCapacity }
            state.launches += 1
            let reservation = InstanceIDs.reservation(seed: seed, number: state.launches)
            var made: [SimulatedInstance] = []
            for _ in 0..<count {
                var instance = make(chosen)
                let number = state.issued[provider, default: 0]
                state.issued[provider] = number + 1
                instance.provider = provider
                instance.id = InstanceIDs.make(provider, seed: seed, number: number)
                instance.pool = candidates[chosen].pool
                instance.units = units
                instance.createdAt = time
                instance.terminatedAt = nil
                instance.timings = timings.applied(to: provider)
                instance.reservation = reservation
                instance.clientToken = clientToken
                instance.spotZone = candidates[chosen].spotZone
                made.append(instance)
            }
            state.instances += made
            return .launched(made)
        }
    }

    /// Asks for `id` to be terminated; returns its phase before and the instance after, or nil
    /// when the provider does not list such an instance. Terminating again changes nothing.
    /// `after` seconds of notice schedule it instead (a spot reclaim announced ahead); an earlier
    /// end already scheduled is kept.
    func terminate(
        _ provider: SimulatedProvider, id: String, at time: Double, after notice: Double = 0
    ) -> (before: SimulatedInstance.Phase, instance: SimulatedInstance)? {
        state.withLock { state in
            guard
                let index = state.instances.firstIndex(where: {
                    $0.provider == provider && $0.id == id && $0.isListed(at: time)
                })
            else { return nil }
            let before = state.instances[index].phase(at: time)
            let end = time + max(0, notice)
            state.instances[index].terminatedAt = min(state.instances[index].terminatedAt ?? end, end)
            return (before, state.instances[index])
        }
    }

    /// `provider`'s instances it still lists at `time`, oldest first.
    func instances(_ provider: SimulatedProvider, at time: Double) -> [SimulatedInstance] {
        state.withLock { state in
            state.instances.filter { $0.provider == provider && $0.isListed(at: time) }
        }
    }

    /// Spot instances not yet asked to terminate, oldest first: the ones a spot zone running dry
    /// takes back.
    func reclaimableSpotInstances() -> [SimulatedInstance] {
        state.withLock { state in
            state.instances.filter { $0.spotZone != nil && $0.terminatedAt == nil }
        }
    }

    /// Every provider's instances not terminated at `time`, oldest first.
    func live(at time: Double) -> [SimulatedInstance] {
        state.withLock { state in
            state.instances.filter { $0.phase(at: time) != .terminated }
        }
    }
}
