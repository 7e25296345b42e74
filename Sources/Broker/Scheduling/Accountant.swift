import BrokerCore
import Foundation
import Logging
import ServiceLifecycle
import Store

/// Brings spend up to date from the nodes' launch-time prices, and stops a job before it, or its
/// team, would go over budget: a job whose spend at its current burn rate would pass its
/// `budget_usd` (or its team's budget) before the next check and the termination that follows is
/// failed with the reason, and its nodes terminated.
///
/// Where several brokers share the database, one of them keeps the accounts at a time (the lease
/// `accountant`), reading and writing through the store guarded by it: a pass that outlived the
/// lease lands nothing.
public final class Accountant: Service, Sendable {
    private let jobs: any JobRepository
    private let nodes: any NodeRepository
    private let clock: any BrokerClock
    private let settings: SchedulerSettings
    private let catalog: GPUCatalog
    private let logger: Logger
    private let onStop: @Sendable () -> Void
    /// Held before each pass when several brokers share the database; nil: always this broker's.
    private let lease: WorkLease?
    private let wakeSignal = WakeSignal()
    private let metrics = FleetMetrics()

    public init(
        store: BrokerStore, clock: any BrokerClock, settings: SchedulerSettings, catalog: GPUCatalog = .standard,
        logger: Logger, onStop: @escaping @Sendable () -> Void = {}, lease: WorkLease? = nil
    ) {
        self.lease = lease
        let accounts = store.guarded(by: lease?.writeGuard)
        self.jobs = accounts.jobs
        self.nodes = accounts.nodes
        self.clock = clock
        self.settings = settings
        self.catalog = catalog
        self.logger = logger
        self.onStop = onStop
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.passIfHeld()
                await self.wakeSignal.wait(upTo: self.settings.accountingInterval)
            }
        }
        await lease?.release()
    }

    /// A pass (``pass()``) when this broker holds the accountant's lease, or has the database to
    /// itself; nil while another broker keeps the accounts.
    @discardableResult
    public func passIfHeld() async -> [String: String]? {
        guard await lease?.isHeld() ?? true else { return nil }
        return await pass()
    }

    /// Accrues spend and applies the budgets; returns the jobs it stopped, with why.
    @discardableResult
    public func pass() async -> [String: String] {
        var stopped: [String: String] = [:]
        do {
            let now = clock.now
            try await nodes.accrueSpend(at: now)
            let active = try await jobs.jobs(in: [.provisioning, .running, .migrating], limit: 10_000)
            let horizon = settings.spendHorizon
            for (teamID, teamJobs) in Dictionary(grouping: active, by: \.teamId) {
                let usage = try await nodes.usage(team: teamID, at: now)
                let lines = Dictionary(usage.jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                let team = SpendGuard.Account(
                    spent: usage.spend, burnPerHour: usage.jobs.reduce(.zero) { $0 + $1.burnPerHour },
                    budget: usage.budget)
                for job in teamJobs {
                    let line = lines[job.id]
                    let account = SpendGuard.Account(
                        spent: line?.spend ?? .zero, burnPerHour: line?.burnPerHour ?? .zero,
                        budget: try? job.decodedSpec(catalog: catalog).budget)
                    guard
                        let reason = SpendGuard.stopReason(
                            job: account, team: team, teamName: usage.teamName, horizon: horizon)
                    else { continue }
                    do {
                        _ = try await nodes.finish(job: job.id, with: .fail, reason: reason, at: now)
                        stopped[job.id] = reason
                        logger.notice("job stopped on budget", metadata: ["job": "\(job.id)", "reason": "\(reason)"])
                    } catch StoreError.invalidTransition {
                        continue  // it ended meanwhile (cancelled, failed)
                    }
                }
            }
        } catch StoreError.leaseLost(let lease) {
            // Another broker keeps the accounts now; nothing more of this pass lands.
            logger.notice("accounting pass stopped: lease lost", metadata: ["lease": "\(lease)"])
        } catch {
            logger.error("accounting pass failed", metadata: ["error": "\(error)"])
        }
        if !stopped.isEmpty { onStop() }
        metrics.recordStoppedOnBudget(stopped.count)
        return stopped
    }
}
