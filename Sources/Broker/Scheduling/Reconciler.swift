import BrokerCore
import Foundation
import Logging
import Providers
import ServiceLifecycle
import Store

/// Makes each provider's instances and the broker's nodes agree, periodically and on request:
/// lists the provider's tagged instances, asks ``BrokerCore/Reconciliation`` what to do, and does
/// it. Instances nobody owns are terminated; nodes being terminated are terminated again until the
/// provider agrees; nodes whose instance vanished are marked so; launches whose answer was lost
/// (a crash) are adopted. A provider that cannot be listed is left alone until the next pass.
/// While nodes are booting or terminating it looks at the scheduler's pace, not its own.
///
/// Where several brokers share the database, each provider is reconciled by the broker that holds
/// its lease (`reconcile:<provider>`), and that provider's reads and writes go through the store
/// guarded by it: a pass that outlived the lease lands nothing.
public final class Reconciler: Service, Sendable {
    private let metrics = FleetMetrics()
    private let store: BrokerStore
    private let provisioners: Provisioners
    private let transport: any HTTPTransport
    private let clock: any BrokerClock
    private let settings: SchedulerSettings
    private let logger: Logger
    private let wakeSignal = WakeSignal()
    private let onNodesChanged: @Sendable () -> Void
    /// Each provider's lease, by provider; empty where the broker is alone on its database.
    private let leases: [String: WorkLease]

    /// - Parameters:
    ///   - onNodesChanged: called after a pass that started, lost or adopted nodes (the scheduler
    ///     then decides about their jobs at once).
    ///   - leases: where several brokers share the database, the leases a provider is reconciled
    ///     under.
    public init(
        store: BrokerStore, provisioners: Provisioners, transport: any HTTPTransport, clock: any BrokerClock,
        settings: SchedulerSettings, logger: Logger, onNodesChanged: @escaping @Sendable () -> Void = {},
        leases: WorkLeases? = nil
    ) {
        self.leases = Dictionary(
            provisioners.all.compactMap { provisioner in
                leases.map { (provisioner.providerID, $0.lease("reconcile:\(provisioner.providerID)")) }
            }, uniquingKeysWith: { first, _ in first })
        self.store = store
        self.provisioners = provisioners
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.logger = logger
        self.onNodesChanged = onNodesChanged
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let inTransition = await self.pass().inTransition
                await self.wakeSignal.wait(
                    upTo: inTransition ? self.settings.interval : self.settings.reconcileInterval)
            }
        }
        for lease in leases.values { await lease.release() }
    }

    /// Asks for a pass now (a job was cancelled, a gang released).
    public func wake() { wakeSignal.fire() }

    /// Reconciles every provider whose lease this broker holds (every provider, alone on its
    /// database).
    @discardableResult
    public func pass() async -> ReconcilePass {
        var report = ReconcilePass()
        for provisioner in provisioners.all {
            let provider = provisioner.providerID
            let lease = leases[provider]
            guard await lease?.isHeld() ?? true else { continue }
            let nodes = store.guarded(by: lease?.writeGuard).nodes
            do {
                let listedAt = clock.now
                let instances = try await provisioner.instances(transport: transport)
                let live = try await nodes.liveNodes(provider: provider)
                let known = try await nodes.knownNodeIDs(among: instances.map(\.nodeID))
                // Found missing or stopped at the last pass (a second pass in a row makes them vanished).
                let previouslyMissing = Set(live.filter { $0.missingSince != nil }.map(\.id))
                let actions = Reconciliation.plan(
                    Reconciliation.Inputs(
                        nodes: live.map(\.view), instances: instances.map(Self.sighting), knownNodeIDs: known,
                        previouslyMissing: previouslyMissing, listedAt: listedAt,
                        launchTimeout: settings.launchTimeout(for: provider),
                        heartbeatTimeout: settings.heartbeatTimeout))
                let nowMissing = Set(
                    actions.compactMap { action -> String? in
                        if case .noteMissing(let id) = action { id } else { nil }
                    })
                try await nodes.recordMissing(
                    live.filter { $0.missingSince == nil && nowMissing.contains($0.id) }.map(\.id),
                    foundAgain: live.filter { $0.missingSince != nil && !nowMissing.contains($0.id) }.map(\.id),
                    at: listedAt)
                var taken: [ReconcileActionTaken] = []
                for action in actions {
                    // Agree that a node is gone only if asking the provider once more just worked.
                    if case .confirmTerminated(let id) = action,
                        let last = taken.last, case .terminateAgain(id, _) = last.action, last.error != nil
                    {
                        continue
                    }
                    taken.append(try await carryOut(action, provisioner: provisioner, nodes: nodes))
                }
                if !taken.isEmpty { report.actions[provider] = taken }
                report.inTransition =
                    report.inTransition || !nowMissing.isEmpty
                    || live.contains { $0.state.isInTransition }
            } catch StoreError.leaseLost(let lease) {
                // Another broker reconciles the provider now: what this pass read of it may be stale.
                logger.notice("reconcile of provider stopped: lease lost", metadata: ["lease": "\(lease)"])
            } catch {
                report.unreachable[provider] = "\(error)"
                logger.warning("cannot reconcile provider", metadata: ["provider": "\(provider)", "error": "\(error)"])
            }
        }
        if report.changedNodes { onNodesChanged() }
        metrics.record(report)
        return report
    }

    /// Does `action` through `nodes`; what went wrong is in the answer, but for a lost lease, which
    /// ends the provider's reconcile.
    private func carryOut(
        _ action: ReconcileAction, provisioner: any InstanceProvisioner, nodes: any NodeRepository
    ) async throws -> ReconcileActionTaken {
        let now = clock.now
        do {
            switch action {
            case .terminateOrphan(let nativeID, let nodeID):
                try await provisioner.terminate(nativeID: nativeID, transport: transport)
                try await nodes.recordOrphanTerminated(
                    provider: provisioner.providerID, nativeInstanceID: nativeID, nodeID: nodeID, at: now)
                logger.notice(
                    "terminated an instance no live node owns",
                    metadata: ["provider": "\(provisioner.providerID)", "instance": "\(nativeID)", "node": "\(nodeID)"])
            case .adopt(let nodeID, let nativeID):
                // Billed from the intent: the instance was created about then, not when found.
                let requestedAt = try await nodes.node(id: nodeID)?.requestedAt ?? now
                _ = try await nodes.recordLaunch(
                    node: nodeID, nativeInstanceID: nativeID, launchedAt: requestedAt, at: now)
            case .failUnlaunched(let nodeID):
                _ = try await nodes.apply(
                    .fail, toNode: nodeID, reason: "the launch never reached the provider", at: now)
            case .noteInstanceRunning(let nodeID):
                try await nodes.noteInstanceRunning(node: nodeID, at: now)
            case .noteMissing(let nodeID):
                logger.notice("instance missing or stopped; checking again next pass", metadata: ["node": "\(nodeID)"])
            case .markVanished(let nodeID, let reason):
                _ = try await nodes.vanish(node: nodeID, reason: reason, at: now)
            case .terminateAgain(_, let nativeID):
                try await provisioner.terminate(nativeID: nativeID, transport: transport)
            case .confirmTerminated(let nodeID):
                _ = try await nodes.apply(
                    .confirmTerminated, toNode: nodeID, reason: "the provider confirms it is gone", at: now)
            }
            return ReconcileActionTaken(action: action, error: nil)
        } catch StoreError.invalidTransition(let message) {
            // The node moved on since the listing was read (its agent reported in, a notice or a
            // cancel came): the action has nothing left to do.
            logger.debug("reconcile action overtaken", metadata: ["action": "\(action)", "state": "\(message)"])
            return ReconcileActionTaken(action: action, error: nil)
        } catch StoreError.leaseLost(let lease) {
            throw StoreError.leaseLost(lease)
        } catch {
            logger.error("reconcile action failed", metadata: ["action": "\(action)", "error": "\(error)"])
            return ReconcileActionTaken(action: action, error: "\(error)")
        }
    }

    static func sighting(_ instance: ProviderInstance) -> InstanceSighting {
        let status: InstanceSighting.Status =
            switch instance.status {
            case .pending: .pending
            case .running: .running
            case .stopping: .stopping
            case .terminated: .gone
            }
        return InstanceSighting(nativeID: instance.nativeID, nodeID: instance.nodeID, status: status)
    }
}
