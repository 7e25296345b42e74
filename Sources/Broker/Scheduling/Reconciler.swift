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
public final class Reconciler: Service, Sendable {
    private let metrics = FleetMetrics()
    private let nodes: any NodeRepository
    private let provisioners: Provisioners
    private let transport: any HTTPTransport
    private let clock: any BrokerClock
    private let settings: SchedulerSettings
    private let logger: Logger
    private let wakeSignal = WakeSignal()
    private let onNodesChanged: @Sendable () -> Void
    /// Held before each pass when several brokers share the database; nil: always this broker's.
    private let lease: WorkLease?

    /// - Parameter onNodesChanged: called after a pass that started, lost or adopted nodes (the
    ///   scheduler then decides about their jobs at once).
    public init(
        nodes: any NodeRepository, provisioners: Provisioners, transport: any HTTPTransport,
        clock: any BrokerClock, settings: SchedulerSettings, logger: Logger,
        onNodesChanged: @escaping @Sendable () -> Void = {}, lease: WorkLease? = nil
    ) {
        self.lease = lease
        self.nodes = nodes
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
                let inTransition = await self.passIfHeld()?.inTransition ?? false
                await self.wakeSignal.wait(
                    upTo: inTransition ? self.settings.interval : self.settings.reconcileInterval)
            }
        }
        await lease?.release()
    }

    /// Asks for a pass now (a job was cancelled, a gang released).
    public func wake() { wakeSignal.fire() }

    /// A pass (``pass()``) when this broker holds the reconciler's lease, or has the database to
    /// itself; nil while another broker reconciles.
    @discardableResult
    public func passIfHeld() async -> ReconcilePass? {
        guard await lease?.isHeld() ?? true else { return nil }
        return await pass()
    }

    @discardableResult
    public func pass() async -> ReconcilePass {
        var report = ReconcilePass()
        for provisioner in provisioners.all {
            let provider = provisioner.providerID
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
                    taken.append(try await carryOut(action, provisioner: provisioner))
                }
                if !taken.isEmpty { report.actions[provider] = taken }
                report.inTransition =
                    report.inTransition || !nowMissing.isEmpty
                    || live.contains { $0.state.isInTransition }
            } catch StoreError.leaseLost(let lease) {
                // Another broker reconciles now: what this pass read may be stale, so it stops.
                logger.notice("reconcile pass stopped: lease lost", metadata: ["lease": "\(lease)"])
                break
            } catch {
                report.unreachable[provider] = "\(error)"
                logger.warning("cannot reconcile provider", metadata: ["provider": "\(provider)", "error": "\(error)"])
            }
        }
        if report.changedNodes { onNodesChanged() }
        metrics.record(report)
        return report
    }

    /// Does `action`; what went wrong is in the answer, but for a lost lease, which ends the pass.
    private func carryOut(_ action: ReconcileAction, provisioner: any InstanceProvisioner) async throws
        -> ReconcileActionTaken
    {
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
