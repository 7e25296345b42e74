import BrokerCore
import Foundation
import Logging
import Metrics
import Providers
import ServiceLifecycle
import Store
import Synchronization

/// Polls one provider's pricing API for as long as the daemon runs: at its interval with jitter
/// while healthy, backing off (and opening its circuit) while it fails, and at once on
/// ``pollNow()``. Each poll's offers go to the store in one transaction, then into the live
/// market's book; a failing provider's offers expire after its `offer_expiry_s`. One provider's
/// trouble never reaches another's poller.
public final class ProviderPoller: Service, Sendable {
    public let providerID: String
    private let source: any PricingSource
    private let transport: any HTTPTransport
    /// Read to follow another broker's polls, and whether the provider is enabled.
    private let offers: any OfferRepository
    private let providers: any ProviderRepository
    /// Where this broker's polls land: the store guarded by the provider's lease, so that a poll
    /// that outlived the lease is dropped rather than written over the new holder's.
    private let polls: BrokerStore
    private let catalog: GPUCatalog
    private let market: LiveMarket
    private let clock: any BrokerClock
    private let expiry: Duration
    private let logger: Logger
    /// Held before each pass when several brokers share the database; nil: always this broker's.
    private let lease: WorkLease?
    private let metrics: PollerMetrics
    private let trigger = WakeSignal()
    private let state: Mutex<State>

    private struct State {
        var schedule: PollSchedule
        var waiters: [UInt64: CheckedContinuation<PollReport?, Never>] = [:]
        var nextWaiterID: UInt64 = 0
    }

    public init(
        source: any PricingSource, transport: any HTTPTransport, store: BrokerStore, catalog: GPUCatalog = .standard,
        market: LiveMarket, clock: any BrokerClock, schedule: PollSchedule, expiry: Duration, logger: Logger,
        lease: WorkLease? = nil
    ) {
        self.lease = lease
        self.providerID = source.providerID
        self.source = source
        self.transport = transport
        self.offers = store.offers(catalog: catalog)
        self.providers = store.providers
        self.polls = store.guarded(by: lease?.writeGuard)
        self.catalog = catalog
        self.market = market
        self.clock = clock
        self.expiry = expiry
        var logger = logger
        logger[metadataKey: "provider"] = "\(source.providerID)"
        self.logger = logger
        self.metrics = PollerMetrics(provider: source.providerID)
        self.state = Mutex(State(schedule: schedule))
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var delay = Duration.zero
            while !Task.isCancelled {
                await self.trigger.wait(upTo: delay)
                if Task.isCancelled { break }
                delay = await self.pollIfEnabled()
            }
        }
        await lease?.release()
        // Whoever still waits for a poll will not get one.
        let waiters = state.withLock { state in
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Polls now (or joins the poll about to start) and returns its report; nil if the daemon is
    /// shutting down or the caller is cancelled first.
    public func pollNow() async -> PollReport? {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if cancelled { continuation.resume(returning: nil) } else { trigger.fire() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// One turn of the loop: polls unless an operator disabled the provider; returns the delay
    /// until the next turn.
    private func pollIfEnabled() async -> Duration {
        let waiters = state.withLock { state in
            defer { state.waiters = [:] }
            return state.waiters
        }
        let enabled = (try? await providers.provider(id: providerID))?.enabled ?? true
        guard enabled else {
            for waiter in waiters.values { waiter.resume(returning: nil) }
            return state.withLock { $0.schedule.interval }
        }
        // Another broker on the database polls it while it holds the provider's lease: follow.
        guard await lease?.isHeld() ?? true else {
            await followStoredOffers()
            for waiter in waiters.values { waiter.resume(returning: nil) }
            return state.withLock { $0.schedule.interval }
        }
        let (report, delay) = await withTaskExecutorPreference(PollingExecutor.shared) { await poll() }
        for waiter in waiters.values { waiter.resume(returning: report) }
        return delay
    }

    /// Takes into the book the offers another broker's poll stored, once it listed anew.
    private func followStoredOffers() async {
        do {
            guard let listed = try await offers.listingTimes()[providerID],
                market.current.listedAt(provider: providerID).map({ listed > $0 }) ?? true
            else { return }
            let stored = try await offers.liveOffers(provider: providerID)
            market.follow(provider: providerID, stored: stored, listedAt: listed)
            logger.debug("followed another broker's poll", metadata: ["offers": "\(stored.count)"])
        } catch {
            logger.warning("cannot read another broker's poll", metadata: ["error": "\(error)"])
        }
    }

    private func poll() async -> (PollReport, Duration) {
        let circuit = state.withLock { state in
            state.schedule.pollStarted()
            return state.schedule.circuit
        }
        logger.debug("polling", metadata: ["circuit": "\(circuit.rawValue)"])
        let started = ContinuousClock.now
        let now = clock.now
        var report = PollReport(provider: providerID, at: now, duration: .zero)
        var retryAfter: Duration?
        let cutoff = now - expiry.timeInterval
        do {
            let snapshot = try await source.fetchOffers(transport: transport, now: now)
            let summary = try await market.apply(
                provider: providerID, listing: snapshot.offers, at: now, expiredBefore: cutoff
            ) { changes in
                try await polls.offers(catalog: catalog).ingest(
                    changes, listing: snapshot.offers, provider: providerID, at: now)
            }
            report.offers = snapshot.offers.count
            report.unknownGPUOffers = snapshot.unknownGPUNames.values.reduce(0, +)
            report.skipped = snapshot.skipped.count
            report.withdrawn = summary.withdrawn
            report.pricePointsRecorded = summary.pricePointsRecorded
            if let example = snapshot.skipped.first {
                logger.warning(
                    "records skipped",
                    metadata: ["count": "\(snapshot.skipped.count)", "example": "\(example.reason)"])
            }
        } catch StoreError.leaseLost(let lease) {
            // Another broker took the provider over meanwhile: its polls count now, this one is
            // dropped, and it says nothing of the provider's health.
            logger.notice("poll dropped: lease lost", metadata: ["lease": "\(lease)"])
            report.error = "\(StoreError.leaseLost(lease))"
            report.duration = ContinuousClock.now - started
            return (report, state.withLock { $0.schedule.interval })
        } catch {
            if case .rateLimited(let seconds?) = error as? ProviderError { retryAfter = .seconds(seconds) }
            report.error = "\(error)"
            // Nothing listed: only offers past the expiry go.
            let swept = try? await market.apply(
                provider: providerID, listing: nil, at: now, expiredBefore: cutoff
            ) { changes in
                try await polls.offers(catalog: catalog).ingest(changes, listing: [], provider: providerID, at: now)
            }
            report.withdrawn = swept?.withdrawn ?? 0
        }
        report.duration = ContinuousClock.now - started
        let jitter = Double.random(in: -1...1)
        let (delay, failures, newCircuit) = state.withLock { state in
            let delay =
                report.error == nil
                ? state.schedule.succeeded(jitter: jitter)
                : state.schedule.failed(retryAfter: retryAfter, jitter: jitter)
            return (delay, state.schedule.consecutiveFailures, state.schedule.circuit)
        }
        await record(report, failures: failures, circuit: newCircuit, previous: circuit, nextIn: delay)
        return (report, delay)
    }

    private func record(
        _ report: PollReport, failures: Int, circuit: PollSchedule.Circuit, previous: PollSchedule.Circuit,
        nextIn delay: Duration
    ) async {
        metrics.record(report)
        let outcome = PollOutcome(
            at: report.at, duration: report.duration, error: report.error, consecutiveFailures: failures,
            circuitState: ProviderRecord.CircuitState(rawValue: circuit.rawValue) ?? .closed)
        do {
            try await polls.providers.recordPoll(outcome, provider: providerID)
        } catch {
            logger.error("could not record poll outcome", metadata: ["error": "\(error)"])
        }
        let metadata: Logger.Metadata = [
            "offers": "\(report.offers)", "withdrawn": "\(report.withdrawn)",
            "duration_ms": "\(report.duration.milliseconds)", "next_in_s": "\(delay.components.seconds)",
        ]
        if let error = report.error {
            logger.warning(
                "poll failed",
                metadata: metadata.merging(
                    ["error": "\(error)", "failures": "\(failures)", "circuit": "\(circuit.rawValue)"]) { $1 })
        } else {
            if previous != .closed { logger.notice("provider recovered") }
            logger.info("polled", metadata: metadata)
        }
    }
}
