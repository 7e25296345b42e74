import BrokerCore
import Foundation
import NodeAgent
import Providers
import Store
import Synchronization

/// Machines that join owner pools: registration with a join token, heartbeats with the machine's
/// own token (`gbm_` + a ``SecretToken``, shown once, stored hashed), and their offers in the live
/// market: `<pool>:<machine>` while the machine heartbeats, gone once it has been silent for the
/// machine timeout or its pool is disabled. Nodes placed on a machine go out in its heartbeat's
/// answer (see ``BrokerCore/PoolMachineLedger``); a busy machine is offered as none available.
///
/// The ledger (which node runs on which machine, which machines their owners took back) is kept
/// in the database, changed one broker at a time: where several brokers share it, whichever of
/// them a machine's heartbeat reaches hands out what any of them placed there.
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
    /// The machines in the market at the last refresh, by offer id (`<pool>:<machine>`).
    private let live = Mutex<[String: PoolMachineRecord]>([:])

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

    /// Records a heartbeat of the machine `machineToken` names, with the nodes it knows (running:
    /// true, ended: false), and says what it is to do; nil when no machine holds the token (or its
    /// join token was revoked, or its pool deleted). `lent`: the owner lends the machine (again),
    /// in the same change; otherwise the caller ``reclaim(_:)``s it.
    public func heartbeat(machineToken: String, nodes: [String: Bool], lent: Bool) async throws -> (
        machine: PoolMachineRecord, orders: PoolMachineLedger<NodeSpec>.Orders
    )? {
        guard let machine = try await pools.heartbeat(machineTokenHash: SecretToken.hash(machineToken), at: clock.now)
        else { return nil }
        let orders = try await changeLedger { ledger in
            if lent { ledger.release(machine.id) }
            return ledger.heartbeat(machine.id, nodes: nodes)
        }
        return (machine, orders)
    }

    /// The owner takes `machine` back: it leaves the market at the next refresh. Returns the nodes
    /// on it, which must move, the first time the machine says so (its later heartbeats repeat it).
    public func reclaim(_ machine: String) async throws -> [String] {
        try await changeLedger { $0.reclaim(machine) }
    }

    /// The owner lends `machine` again (its heartbeat no longer says it is reclaimed).
    public func release(_ machine: String) async throws {
        try await changeLedger { $0.release(machine) }
    }

    /// The machines whose owners have taken them back (until released).
    public func reclaimedMachines() async throws -> Set<String> {
        try await ledger().reclaimed
    }

    /// The pool ids whose machines are in the market now.
    public var poolIDs: Set<String> { offered.withLock { $0 } }

    /// Places a node on the machine `offer` names (`<pool>:<machine>`): it starts at the machine's
    /// next heartbeat. A machine gone from the market or busy is a capacity refusal for the offer.
    func launch(offer: OfferID, spec: NodeSpec) async throws(ProviderError) -> ProviderInstance {
        guard let machine = live.withLock({ $0[offer.description] }) else {
            throw .insufficientCapacity(scope: .offer, message: "machine \(offer) is not in the market")
        }
        let refusal = try await Self.asProvider {
            try await self.changeLedger { ledger -> String? in
                if ledger.reclaimed.contains(machine.id) { return "machine \(offer) is not in the market" }
                if ledger.isBusy(machine.id) { return "machine \(offer) is busy" }
                ledger.launch(spec.nodeID, on: machine.id, spec)
                return nil
            }
        }
        if let refusal { throw .insufficientCapacity(scope: .offer, message: refusal) }
        return ProviderInstance(nativeID: spec.nodeID, nodeID: spec.nodeID, status: .pending)
    }

    /// The nodes on `pool`'s machines: pending until the machine reports them, then running, and
    /// stopping once told to stop.
    func instances(pool: String) async throws(ProviderError) -> [ProviderInstance] {
        let machines = Set(live.withLock { $0.values.filter { $0.poolId == pool }.map(\.id) })
        return try await Self.asProvider { try await self.ledger() }.entries.values
            .filter { machines.contains($0.machine) }
            .sorted { $0.node < $1.node }
            .map { entry in
                ProviderInstance(
                    nativeID: entry.node, nodeID: entry.node,
                    status: entry.stopping ? .stopping : entry.running ? .running : .pending)
            }
    }

    /// Stops a node (safe to repeat: an unknown node is already gone).
    func terminate(node: String) async throws(ProviderError) {
        try await Self.asProvider { try await self.changeLedger { _ = $0.terminate(node) } }
    }

    /// The ledger as stored.
    private func ledger() async throws -> PoolMachineLedger<NodeSpec> {
        try Self.decode(try await pools.machineLedger())
    }

    /// The ledger `stored` holds (empty before the first change).
    private static func decode(_ stored: String?) throws -> PoolMachineLedger<NodeSpec> {
        guard let stored else { return PoolMachineLedger() }
        return try JSONDecoder().decode(PoolMachineLedger<NodeSpec>.self, from: Data(stored.utf8))
    }

    /// Changes the stored ledger with `change`, one broker at a time; stores it only if it changed.
    private func changeLedger<Answer: Sendable>(
        _ change: @escaping @Sendable (inout PoolMachineLedger<NodeSpec>) -> Answer
    ) async throws -> Answer {
        try await pools.changeMachineLedger { stored in
            var ledger = try Self.decode(stored)
            let before = ledger
            let answer = change(&ledger)
            guard ledger != before else { return (nil, answer) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return (String(decoding: try encoder.encode(ledger), as: UTF8.self), answer)
        }
    }

    /// The ledger's database, as a provider's API failing: the scheduler and the reconciler try
    /// again later.
    private static func asProvider<T>(_ body: () async throws -> T) async throws(ProviderError) -> T {
        do {
            return try await body()
        } catch {
            throw .transport("the owner machines' ledger cannot be read or written: \(error)")
        }
    }

    /// Puts every heartbeating machine of every enabled pool in the market, and takes out the rest.
    public func refreshOffers() async throws {
        let now = clock.now
        let cutoff = now.addingTimeInterval(-machineTimeout.timeInterval)
        let current = try await pools.machinesOfEnabledPools()
        var ids: Set<String> = []
        var inMarket: [String: PoolMachineRecord] = [:]
        let ledger = try await ledger()
        for (pool, machines) in current {
            ids.insert(pool.id)
            let heard = machines.filter { $0.lastHeartbeatAt >= cutoff }
            let lent = heard.filter { !ledger.reclaimed.contains($0.id) }
            for machine in heard { inMarket["\(pool.id):\(machine.name)"] = machine }
            let busy = Set(heard.map(\.id).filter(ledger.isBusy))
            // Exactly these: every other offer of the pool goes, however recently it was seen.
            market.record(
                provider: pool.id,
                seen: lent.map { Self.offer(of: $0, in: pool, available: busy.contains($0.id) ? 0 : 1) },
                expiredBefore: .distantFuture)
        }
        // A machine out of the market takes its nodes with it (the reconciler sees them vanish).
        let kept = Set(inMarket.values.map(\.id))
        if !Set(ledger.entries.values.map(\.machine)).isSubset(of: kept) {
            try await changeLedger { ledger in
                for machine in Set(ledger.entries.values.map(\.machine)).subtracting(kept) {
                    ledger.forget(machine: machine)
                }
            }
        }
        live.withLock { $0 = inMarket }
        let gone = offered.withLock { offered in
            defer { offered = ids }
            return offered.subtracting(ids)
        }
        for pool in gone { market.record(provider: pool, seen: [], expiredBefore: .distantFuture) }
    }

    /// The offer of one machine: all its GPUs, at the pool's price for its model, in the pool's
    /// market; one to be had unless a node runs there.
    static func offer(of machine: PoolMachineRecord, in pool: PoolRecord, available: Int) -> Offer {
        let gpu = GPUName(resolving: machine.gpu, memoryGB: machine.gpuMemoryGb)
        return Offer(
            id: OfferID(provider: pool.id, native: machine.name), gpu: gpu, gpuCount: machine.gpuCount,
            gpuMemoryGB: machine.gpuMemoryGb, interconnect: nil, vcpus: machine.vcpus, memoryGB: machine.memoryGb,
            diskGB: machine.diskGb, region: pool.region, country: pool.country, market: pool.market,
            pricePerHour: pool.terms.pricePerHour(gpu: gpu, count: machine.gpuCount), available: available,
            reliability: nil,
            firstSeenAt: machine.registeredAt, lastSeenAt: machine.lastHeartbeatAt, raw: nil)
    }
}
