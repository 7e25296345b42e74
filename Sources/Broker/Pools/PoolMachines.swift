import BrokerCore
import Foundation
import Store
import Synchronization

/// Machines that join owner pools: registration with a join token, heartbeats with the machine's
/// own token (`gbm_` + a ``SecretToken``, shown once, stored hashed), and their offers in the live
/// market: `<pool>:<machine>` while the machine heartbeats, gone once it has been silent for the
/// machine timeout or its pool is disabled.
public final class PoolMachines: Sendable {
    /// The prefix that tells a machine token from the other tokens.
    public static let machineTokenPrefix = "gbm_"

    /// A machine just registered: the only time its token exists outside the machine.
    public struct Registered: Sendable {
        public var token: String
        public var machine: PoolMachineRecord
        public var pool: PoolRecord
    }

    private let pools: any PoolRepository
    private let market: LiveMarket
    private let clock: any BrokerClock
    /// How long a machine may stay silent before its offer goes.
    public let machineTimeout: Duration
    /// The pools whose offers are in the market, so a pool turned off is emptied once.
    private let offered = Mutex<Set<String>>([])

    public init(pools: any PoolRepository, market: LiveMarket, clock: any BrokerClock, machineTimeout: Duration) {
        self.pools = pools
        self.market = market
        self.clock = clock
        self.machineTimeout = machineTimeout
    }

    /// Registers the machine into the pool `joinToken` opens; nil when the token is unknown,
    /// revoked, or its pool deleted.
    public func register(joinToken: String, _ registration: MachineRegistration) async throws -> Registered? {
        guard let (token, pool) = try await pools.joinToken(hash: SecretToken.hash(joinToken)) else { return nil }
        let now = clock.now
        let secret = Self.machineTokenPrefix + SecretToken.random()
        let machine = try await pools.register(
            PoolMachineRecord(
                id: Identifier.make("machine", at: now), poolId: pool.id, joinTokenId: token.id,
                registration: registration, tokenHash: SecretToken.hash(secret), at: now))
        try await refreshOffers()
        return Registered(token: secret, machine: machine, pool: pool)
    }

    /// Records a heartbeat of the machine `machineToken` names; nil when no machine holds it (or
    /// its join token was revoked, or its pool deleted).
    public func heartbeat(machineToken: String) async throws -> PoolMachineRecord? {
        try await pools.heartbeat(machineTokenHash: SecretToken.hash(machineToken), at: clock.now)
    }

    /// Puts every heartbeating machine of every enabled pool in the market, and takes out the rest.
    public func refreshOffers() async throws {
        let now = clock.now
        let cutoff = now.addingTimeInterval(-machineTimeout.timeInterval)
        let current = try await pools.machinesOfEnabledPools()
        var ids: Set<String> = []
        for (pool, machines) in current {
            ids.insert(pool.id)
            let live = machines.filter { $0.lastHeartbeatAt >= cutoff }
            // Exactly these: every other offer of the pool goes, however recently it was seen.
            market.record(
                provider: pool.id, seen: live.map { Self.offer(of: $0, in: pool) }, expiredBefore: .distantFuture)
        }
        let gone = offered.withLock { offered in
            defer { offered = ids }
            return offered.subtracting(ids)
        }
        for pool in gone { market.record(provider: pool, seen: [], expiredBefore: .distantFuture) }
    }

    /// The offer of one machine: all its GPUs, at the pool's price for its model, in the pool's
    /// market, one to be had.
    static func offer(of machine: PoolMachineRecord, in pool: PoolRecord) -> Offer {
        let gpu = GPUName(resolving: machine.gpu, memoryGB: machine.gpuMemoryGb)
        return Offer(
            id: OfferID(provider: pool.id, native: machine.name), gpu: gpu, gpuCount: machine.gpuCount,
            gpuMemoryGB: machine.gpuMemoryGb, interconnect: nil, vcpus: machine.vcpus, memoryGB: machine.memoryGb,
            diskGB: machine.diskGb, region: pool.region, country: pool.country, market: pool.market,
            pricePerHour: pool.terms.pricePerHour(gpu: gpu, count: machine.gpuCount), available: 1, reliability: nil,
            firstSeenAt: machine.registeredAt, lastSeenAt: machine.lastHeartbeatAt, raw: nil)
    }
}
