import BrokerCore
import Foundation
import Logging
import Providers
import ServiceLifecycle
import Store
import Synchronization

/// Places queued jobs, highest priority and oldest first: quotes each on the live market (leaving
/// out what capacity refusals blocked), records the intent to launch its gang, launches every node
/// through its provider, and on a refusal releases the gang and fails over to the next placement.
/// Provisioning jobs start when every node runs, and are given up when a launch fails or makes no
/// progress within its provider's timeout. Terminations and watching boots are the reconciler's:
/// the scheduler wakes it after a placement or a release.
public final class Scheduler: Service, Sendable {
    private let jobs: any JobRepository
    private let nodes: any NodeRepository
    private let teams: any TeamRepository
    /// Where the spot capacity history `market: auto` pilots learn from is read.
    private let offers: any OfferRepository
    private let market: LiveMarket
    private let provisioners: Provisioners
    private let transport: any HTTPTransport
    private let clock: any BrokerClock
    private let settings: SchedulerSettings
    private let planner: PlacementPlanner
    private let logger: Logger
    private let wakeSignal = WakeSignal()
    private let blocklist: Mutex<CapacityBlocklist>
    /// Where the blocks are kept: read at every pass (another broker's blocks count too), written
    /// on every block.
    private let storedBlocks: any CapacityBlockRepository
    /// Queued jobs' last quotes that found nowhere to launch, by job id (queued jobs only).
    private let unplaceable = Mutex<[String: UnplaceableQuote]>([:])
    private let onNodesChanged: @Sendable () -> Void
    /// Each job's lease when several brokers share the database (a broker works only on the jobs
    /// it holds); nil: every job is this broker's.
    private let jobLeases: JobLeases?
    private let metrics = FleetMetrics()
    /// How nodes get their agent; nil refuses every launch (there is no agent to deliver).
    private let agent: AgentDelivery?
    /// Providers whose nodes could not reach the broker, and why: launches there are refused.
    private let unreachable: [String: String]

    public init(
        jobs: any JobRepository, nodes: any NodeRepository, teams: any TeamRepository, offers: any OfferRepository,
        blocks: any CapacityBlockRepository, market: LiveMarket,
        provisioners: Provisioners, transport: any HTTPTransport, clock: any BrokerClock,
        settings: SchedulerSettings, agent: AgentDelivery?, unreachable: [String: String] = [:],
        catalog: GPUCatalog = .standard, logger: Logger, onNodesChanged: @escaping @Sendable () -> Void = {},
        jobLeases: JobLeases? = nil
    ) {
        self.jobLeases = jobLeases
        self.agent = agent
        self.unreachable = unreachable
        self.jobs = jobs
        self.nodes = nodes
        self.teams = teams
        self.offers = offers
        self.market = market
        self.provisioners = provisioners
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.planner = PlacementPlanner(catalog: catalog)
        self.logger = logger
        self.blocklist = Mutex(CapacityBlocklist(durations: settings.blockDurations))
        self.storedBlocks = blocks
        self.onNodesChanged = onNodesChanged
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pass()
                await self.wakeSignal.wait(upTo: self.settings.interval)
            }
        }
        await jobLeases?.release(allBut: [])
    }

    /// Asks for a pass now (a job was submitted, the market changed).
    public func wake() { wakeSignal.fire() }

    /// One pass: check provisioning jobs, move migrating ones, place queued ones and watch running
    /// ones; where brokers share the database, only the jobs whose lease this broker holds.
    @discardableResult
    public func pass() async -> SchedulingPass {
        var report = SchedulingPass()
        var mine = Set<String>()
        /// Whether this broker works on `job` in this pass.
        func isMine(_ job: JobRecord) async -> Bool {
            guard let jobLeases else { return true }
            guard await jobLeases.isHeld(job.id) else { return false }
            mine.insert(job.id)
            return true
        }
        do {
            let now = clock.now
            let stored = try await storedBlocks.blocks(at: now)
            blocklist.withLock { list in
                let blocks = list.blocks(at: now).merging(stored) { max($0, $1) }
                list = CapacityBlocklist(durations: settings.blockDurations, blocks: blocks)
            }
            for job in try await jobs.jobs(in: [.provisioning], limit: 1000) {
                guard await isMine(job) else { continue }
                await check(job, into: &report)
            }
            for job in try await jobs.jobs(in: [.migrating], limit: 1000) {
                guard await isMine(job) else { continue }
                await migrate(job, into: &report)
            }
            let queued = try await jobs.jobs(in: [.queued], limit: 1000)
            let queuedIDs = Set(queued.map(\.id))
            unplaceable.withLock { $0 = $0.filter { queuedIDs.contains($0.key) } }
            for job in queued {
                guard await isMine(job) else { continue }
                await place(job, into: &report)
            }
            for job in try await jobs.jobs(in: [.running], limit: 1000) {
                guard await isMine(job) else { continue }
                await watch(job, into: &report)
            }
            await jobLeases?.release(allBut: mine)
        } catch {
            logger.error("scheduling pass failed", metadata: ["error": "\(error)"])
        }
        if !report.released.isEmpty || !report.placed.isEmpty { onNodesChanged() }
        metrics.record(report)
        return report
    }

    /// The blocks in force now, for the admin API and tests.
    public var blocks: CapacityBlocklist { blocklist.withLock { $0 } }

    private func check(_ job: JobRecord, into report: inout SchedulingPass) async {
        do {
            let gang = Self.currentGang(try await nodes.nodes(ofJob: job.id))
            let now = clock.now
            switch GangLaunchCheck.decide(
                nodes: gang.map(\.view), now: now, timeout: settings.launchTimeout(for:),
                bootTimeout: settings.bootTimeout)
            {
            case .wait:
                return
            case .start:
                let shards = try Self.shardPlan(job, gang: gang, catalog: planner.catalog)
                if try await nodes.start(job: job.id, ifRunning: gang.map(\.id), shards: shards, at: now) {
                    report.started.append(job.id)
                }
            case .release(let reason, let stuck):
                for node in gang where stuck.contains(node.id) { await block(node, now: now) }
                _ = try await nodes.releaseGang(ofJob: job.id, reason: reason, at: now)
                report.released[job.id] = reason
                logger.notice("gang released", metadata: ["job": "\(job.id)", "reason": "\(reason)"])
            }
        } catch {
            logger.error("could not check provisioning job", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Blocks the offer a stalled node was launched on.
    private func block(_ node: NodeRecord, now: Date) async {
        guard let offer = OfferID(node.offerId) else { return }
        await block(
            CapacityBlocklist.Key(.offer, provider: node.providerId, region: node.region, offer: offer), now: now)
    }

    /// Blocks `key` from `now` here and in the store; returns when the block ends. A block the store
    /// could not keep still holds in this process.
    @discardableResult
    private func block(_ key: CapacityBlocklist.Key, now: Date) async -> Date {
        let until = blocklist.withLock { $0.block(key, now: now).until }
        do {
            try await storedBlocks.block(key, until: until, now: now)
        } catch {
            logger.error("could not store a capacity block", metadata: ["block": "\(key)", "error": "\(error)"])
        }
        return until
    }

    /// One step of a migrating job (see ``BrokerCore/MigrationCheck``): replace the ranks that lost
    /// their node, wait for replacements, or resume; a deadline that passes meanwhile fails it.
    private func migrate(_ job: JobRecord, into report: inout SchedulingPass) async {
        do {
            let now = clock.now
            let spec = try job.decodedSpec(catalog: planner.catalog)
            if let deadline = spec.deadline, deadline <= now {
                _ = try await nodes.finish(
                    job: job.id, with: .fail, reason: "the deadline passed while the job was migrating", at: now)
                report.released[job.id] = "deadline passed while migrating"
                return
            }
            let gang = Self.currentGang(try await nodes.nodes(ofJob: job.id))
            let members = gang.map { node in
                MigrationCheck.Member(
                    node: node.view,
                    pool: MigrationCheck.Pool(provider: node.providerId, region: node.region, market: node.market))
            }
            let timeout = gang.map { settings.launchTimeout(for: $0.providerId) }.max() ?? settings.defaultLaunchTimeout
            switch MigrationCheck.decide(
                gang: members, sameRegion: spec.placement.sameRegion, now: now, launchTimeout: timeout,
                bootTimeout: settings.bootTimeout)
            {
            case .wait:
                return
            case .resume:
                let resumed = try await nodes.resume(job: job.id, at: now)
                report.resumed.append(job.id)
                if !resumed.terminating.isEmpty { report.released[job.id] = resumed.job.reason }
            case .replace(let ranks, let stayIn, let avoid, let stalled):
                for node in gang {
                    guard let reason = stalled[node.id] else { continue }
                    await block(node, now: now)
                    _ = try await nodes.apply(.terminate, toNode: node.id, reason: reason, at: now)
                }
                try await replace(
                    ranks: ranks, of: job, spec: spec, gang: gang, stayIn: stayIn, avoid: avoid, into: &report)
            }
        } catch {
            logger.error("could not migrate job", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Quotes the lost ranks as a gang of their own within the job's constraints (beside the
    /// survivors, away from the pools that reclaimed them), records the replacements with the
    /// shards they take over, and launches them. Ranks whose launch fails are tried again next pass.
    private func replace(
        ranks: [Int], of job: JobRecord, spec: JobSpec, gang: [NodeRecord], stayIn: MigrationCheck.Pool?,
        avoid: Set<MigrationCheck.Pool>, into report: inout SchedulingPass
    ) async throws {
        let done = try await doneFraction(of: job)
        var partial = spec.remaining(doneFraction: done)
        partial.resources.nodes = ranks.count
        // The survivors' price is spoken for: the replacements share what is left of the cap.
        let survivorsPrice = gang.filter { !ranks.contains($0.rank) }.reduce(Money.zero) { $0 + $1.pricePerHour }
        partial.maxPricePerHour = spec.maxPricePerHour.map { max(.zero, $0 - survivorsPrice) }
        let replaced = Dictionary(gang.map { ($0.rank, $0.id) }, uniquingKeysWith: { _, newest in newest })
        /// The replacements' quote: beside the survivors, away from the pools that reclaimed them,
        /// and leaving out what refusals blocked.
        // An owner takes back one machine, not a market's spot pool: only the machines lost are avoided there.
        let lostOffers = Set(gang.filter { ranks.contains($0.rank) }.map(\.offerId))
        func quote(_ spec: JobSpec, now: Date) -> Quote {
            let blocks = blocklist.withLock { $0 }
            return planner.quote(spec, book: market.current, now: now, limit: 1) { offer in
                let pool = MigrationCheck.Pool(provider: offer.id.provider, region: offer.region, market: offer.market)
                let avoided =
                    self.provisioners.isOwnerPool(offer.id.provider)
                    ? lostOffers.contains(offer.id.description) : avoid.contains(pool)
                if avoided || blocks.isBlocked(offer, at: now) { return true }
                guard let stayIn else { return false }
                return offer.id.provider != stayIn.provider || offer.region != stayIn.region
            }
        }
        if AutoMarketChoice.applies(to: spec) {
            let now = clock.now
            // Survivors bill while the lost ranks wait, so they never wait for spot.
            // Nodes a planned move is leaving bill until their replacements run, like survivors.
            let survivors = gang.contains {
                !ranks.contains($0.rank) || ($0.state == .preempting && $0.reason == AutoMarketMove.nodeReason)
            }
            let spotLost = gang.contains {
                ranks.contains($0.rank) && $0.market == .spot && $0.reason != AutoMarketMove.nodeReason
            }
            let choice = try await autoMarket(
                job, spec: spec, now: now, done: done, survivorsBilling: survivors, spotLost: spotLost
            ) { narrowed in
                var narrowed = narrowed
                narrowed.resources.nodes = ranks.count
                return !quote(narrowed, now: now).placements.isEmpty
            }.choice
            guard let narrowed = choice.narrowing(partial) else {
                if case .wait(let reason) = choice {
                    try await nodes.setWaitingReason(job: job.id, reason: reason, at: now)
                    report.waiting[job.id] = reason
                }
                return
            }
            partial = narrowed
        }
        var failures: [String] = []
        // Each attempt quotes afresh, so what the last refusal blocked is left out; fail over only
        // while every rank's launch was refused (a rank that got its node keeps it, the others are
        // tried again next pass).
        for _ in 0..<settings.placementsPerPass {
            let now = clock.now
            let quote = quote(partial, now: now)
            guard let placement = quote.placements.first else {
                let reason =
                    "no replacement for node(s) \(ranks.map(String.init).joined(separator: ", ")): "
                    + (failures.last ?? quote.reason ?? "none fits")
                try await nodes.setWaitingReason(job: job.id, reason: reason, at: now)
                report.waiting[job.id] = reason
                break
            }
            let assigned = zip(ranks, placement.nodes).map { rank, placed in PlacedNode(rank: rank, offer: placed.offer)
            }
            let refused = try await launch(assigned, of: job, spec: spec, cap: partial.maxPricePerHour) { records in
                let replacements = records.map { record in
                    var record = record
                    record.replacesNodeId = replaced[record.rank]
                    return record
                }
                try await self.nodes.beginReplacement(
                    job: job.id, nodes: replacements, at: now, under: try self.intentLease(for: job.id))
                return replacements
            }
            failures += refused
            if refused.count < ranks.count {
                report.placed.append(job.id)
                break
            }
        }
        if !failures.isEmpty { report.released[job.id] = failures.joined(separator: "; ") }
    }

    /// The job's shards spread over `gang` by its nodes' speed (none without a dataset).
    static func shardPlan(_ job: JobRecord, gang: [NodeRecord], catalog: GPUCatalog) throws -> [String: [Int]] {
        guard let count = try job.decodedSpec(catalog: catalog).dataset?.shards else { return [:] }
        let weights = gang.map { ShardPlanner.weight(gpu: catalog.model(named: $0.gpu), count: $0.gpuCount) }
        let runs = ShardPlanner.split(Array(0..<count), weights: weights)
        return Dictionary(zip(gang.map(\.id), runs), uniquingKeysWith: { first, _ in first })
    }

    /// The newest attempt's nodes: the last node requested at each rank (`nodes` in request order).
    static func currentGang(_ nodes: [NodeRecord]) -> [NodeRecord] { CurrentGang.of(nodes, rank: \.rank) }

    private func place(_ job: JobRecord, into report: inout SchedulingPass) async {
        do {
            let now = clock.now
            var spec = try job.decodedSpec(catalog: planner.catalog)
            if let deadline = spec.deadline, deadline <= now {
                _ = try await nodes.finish(
                    job: job.id, with: .fail,
                    reason: "the deadline \(RFC3339.string(from: deadline)) passed before a placement was found",
                    at: now)
                report.expired.append(job.id)
                return
            }
            if let team = try await teams.team(id: job.teamId), let budget = team.budget, team.spend >= budget {
                try await wait(
                    job, "team \(team.name) has spent its budget (\(team.spend.formatted()) of \(budget.formatted()))",
                    into: &report)
                return
            }
            if AutoMarketChoice.applies(to: spec) {
                let choice = try await autoMarket(job, spec: spec, now: now) { narrowed in
                    !self.quote(narrowed, now: now).placements.isEmpty
                }.choice
                guard let narrowed = choice.narrowing(spec) else {
                    if case .wait(let reason) = choice { try await wait(job, reason, into: &report) }
                    return
                }
                spec = narrowed
            }
            let (book, version) = market.versioned
            let blocks = blocks(at: now)
            if let known = unplaceable.withLock({ $0[job.id] }),
                known.holds(for: spec, marketVersion: version, blocks: blocks)
            {
                try await wait(job, known.reason, into: &report)
                return
            }
            var failures: [String] = []
            let quote = quote(spec, book: book, blocks: blocks, now: now)
            for placement in quote.placements where !isBlocked(placement, at: clock.now) {
                guard let failure = try await launch(placement, of: job, spec: spec) else {
                    report.placed.append(job.id)
                    return
                }
                failures.append(failure)
                if failures.count >= settings.placementsPerPass { break }
            }
            let reason =
                failures.isEmpty
                ? quote.reason ?? "every placement is blocked after capacity refusals"
                : "\(failures.count) placement(s) failed: " + failures.joined(separator: "; ")
            if !failures.isEmpty { report.released[job.id] = reason }
            if failures.isEmpty,
                let known = UnplaceableQuote(spec: spec, marketVersion: version, blocks: blocks, reason: reason)
            {
                unplaceable.withLock { $0[job.id] = known }
            }
            try await wait(job, reason, into: &report)
        } catch StoreError.overBudget(let reason) {
            try? await wait(job, reason, into: &report)
        } catch let error as JobSpecError {
            _ = try? await nodes.finish(
                job: job.id, with: .fail, reason: "stored spec unreadable: \(error)", at: clock.now)
        } catch {
            logger.error("could not place job", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Where a `market: auto` job's nodes go (see ``BrokerCore/AutoMarketChoice``), advancing its
    /// stored pilot by this pass: `fits` says whether the nodes to place fit now in `spec` narrowed
    /// to spot; `running` is the market its gang runs on, when it runs; `done`, the share of its
    /// work done, when the caller has read it already.
    private func autoMarket(
        _ job: JobRecord, spec: JobSpec, now: Date, done known: Double? = nil, survivorsBilling: Bool = false,
        spotLost: Bool = false, running: SpotPlacement? = nil, fits: (JobSpec) -> Bool
    ) async throws -> AutoMarketStep {
        let done: Double
        if let known { done = known } else { done = try await doneFraction(of: job) }
        // What is left of the work is what placements must finish by the deadline.
        let rest = spec.remaining(doneFraction: done)
        var spot = rest
        spot.market = .spot
        let best = (onDemand: bestPlacement(rest, .onDemand, now: now), spot: bestPlacement(rest, .spot, now: now))
        var pilot = try await jobs.marketPilot(job: job.id)
        let history = pilot == nil ? try await spotHistory(of: spec, before: now) : .empty
        let choice = AutoMarketChoice.decide(
            AutoMarketChoice.Inputs(
                submittedAt: job.createdAt, deadline: spec.deadline, now: now,
                onDemandHours: best.onDemand?.estimatedHours, spotHours: best.spot?.estimatedHours,
                spotAvailable: running == .spot || fits(spot), doneFraction: done,
                restartOverhead: settings.restartOverhead, survivorsBilling: survivorsBilling,
                tickSeconds: max(1, settings.interval.components.seconds), spotLost: spotLost, running: running,
                prices: best.onDemand.map {
                    SpotPrices(onDemandPerHour: $0.pricePerHour, spotPerHourIfKnown: best.spot?.pricePerHour)
                }),
            pilot: &pilot, history: { history })
        if let pilot { try await jobs.saveMarketPilot(pilot, job: job.id, at: now) }
        return AutoMarketStep(
            choice: choice, pilot: pilot, doneFraction: done, onDemand: best.onDemand, spot: best.spot)
    }

    /// One pass of a `market: auto` job's pilot: its choice, and what it was decided on.
    private struct AutoMarketStep {
        var choice: AutoMarketChoice
        var pilot: AutoMarketPilot?
        var doneFraction: Double
        /// The best gang of each market for the work left, now.
        var onDemand: Placement?
        var spot: Placement?
    }

    /// The share of the job's shards done (0 without a dataset).
    private func doneFraction(of job: JobRecord) async throws -> Double {
        let shards = try await nodes.shardCounts(ofJob: job.id)
        return shards.total > 0 ? Double(shards.done) / Double(shards.total) : 0
    }

    /// The whole gang's best placement in `choice`'s market now.
    private func bestPlacement(_ spec: JobSpec, _ choice: JobSpec.MarketChoice, now: Date) -> Placement? {
        var whole = spec
        whole.market = choice
        return planner.quote(whole, book: market.current, now: now, limit: 1).placements.first
    }

    /// How long a `market: auto` job's pilot looks back at the recorded spot capacity.
    /// A week holds hundreds of spells of a volatile market while keeping the read, done once per
    /// job, bounded: a busy market records a capacity point per changed series at every poll.
    static let historyWindow: TimeInterval = 7 * 24 * 3600

    /// What the broker recorded of the spot capacity a gang of `spec` could have used, over
    /// ``historyWindow`` before `date`, sampled every minute.
    private func spotHistory(of spec: JobSpec, before date: Date) async throws -> SpotHistory {
        let since = date.addingTimeInterval(-Self.historyWindow)
        let points = try await offers.spotCapacity(
            gpus: spec.resources.acceptedModels(in: planner.catalog).map(\.name),
            gpuCount: spec.resources.gpusPerNode, since: since)
        guard let first = points.first else { return .empty }
        let trace = SpotTrace(
            capacity: points, from: first.recordedAt, to: date, tickSeconds: 60, gang: spec.resources.nodes,
            sameRegion: spec.placement.sameRegion)
        let startSecondOfDay = Int64(first.recordedAt.timeIntervalSince1970.rounded(.down)) % 86_400
        return SpotHistory(trace: trace, startSecondOfDay: startSecondOfDay)
    }

    /// A running `market: auto` job: its pilot is advanced, and when it wants the other market a
    /// planned migration moves the gang's nodes there (see ``BrokerCore/AutoMarketMove``).
    private func watch(_ job: JobRecord, into report: inout SchedulingPass) async {
        do {
            let spec = try job.decodedSpec(catalog: planner.catalog)
            guard AutoMarketChoice.applies(to: spec) else { return }
            let now = clock.now
            let gang = Self.currentGang(try await nodes.nodes(ofJob: job.id)).filter { $0.state == .running }
            guard !gang.isEmpty else { return }
            let running: SpotPlacement = gang.allSatisfy { $0.market == .onDemand } ? .onDemand : .spot
            let step = try await autoMarket(job, spec: spec, now: now, running: running) { narrowed in
                !self.quote(narrowed, now: now).placements.isEmpty
            }
            guard let pilot = step.pilot else { return }
            let target: Placement?
            switch step.choice {
            case .spot: target = step.spot
            case .onDemand: target = step.onDemand
            case .cheapest, .wait: target = nil
            }
            guard
                let move = AutoMarketMove.decide(
                    choice: step.choice,
                    gang: gang.map { .init(id: $0.id, market: $0.market, pricePerHour: $0.pricePerHour) },
                    pilot: pilot, workDoneSeconds: Int64((Double(pilot.job.workSeconds) * step.doneFraction).rounded()),
                    target: target?.pricePerHour)
            else { return }
            _ = try await nodes.moveGang(
                job: job.id, nodes: move.nodes, reason: move.reason, nodeReason: AutoMarketMove.nodeReason, at: now)
            report.moved[job.id] = move.reason
            logger.notice("market auto moves the gang", metadata: ["job": "\(job.id)", "to": "\(move.to.rawValue)"])
        } catch {
            logger.error("could not watch job", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    private func wait(_ job: JobRecord, _ reason: String, into report: inout SchedulingPass) async throws {
        report.waiting[job.id] = reason
        try await nodes.setWaitingReason(job: job.id, reason: reason, at: clock.now)
    }

    private func quote(_ spec: JobSpec, now: Date) -> Quote {
        quote(spec, book: market.current, blocks: blocks(at: now), now: now)
    }

    private func quote(_ spec: JobSpec, book: OfferBook, blocks: CapacityBlocklist, now: Date) -> Quote {
        let excluded: ((Offer) -> Bool)? = blocks.isEmpty(at: now) ? nil : { blocks.isBlocked($0, at: now) }
        return planner.quote(spec, book: book, now: now, limit: settings.placementsPerPass, excluding: excluded)
    }

    /// The blocks in force at `now`, the expired ones pruned.
    private func blocks(at now: Date) -> CapacityBlocklist {
        blocklist.withLock { list in
            list.prune(now: now)
            return list
        }
    }

    /// The lease an intent to launch nodes for job `id` is written under: nil when this broker is
    /// alone on its database; ``Store/StoreError/leaseLost(_:)`` when it shares it and no longer
    /// holds the job's lease (a pass that outlived it must not launch).
    private func intentLease(for id: String) throws -> Lease? {
        guard let jobLeases else { return nil }
        guard let held = jobLeases.current(id), held.expiresAt > clock.now else {
            throw StoreError.leaseLost("job:\(id)")
        }
        return held
    }

    private func isBlocked(_ placement: Placement, at now: Date) -> Bool {
        let blocks = blocklist.withLock { $0 }
        return placement.nodes.contains { blocks.isBlocked($0.offer, at: now) }
    }

    /// Records the intent, launches every node at once, and keeps the gang only if every launch
    /// was accepted; otherwise releases it (the job goes back to queued) and returns why.
    private func launch(_ placement: Placement, of job: JobRecord, spec: JobSpec) async throws -> String? {
        let failures = try await launch(placement.nodes, of: job, spec: spec, cap: spec.maxPricePerHour) {
            records in
            _ = try await self.nodes.beginProvisioning(
                job: job.id, nodes: records, at: self.clock.now, under: try self.intentLease(for: job.id),
                within: LaunchBudget(horizon: self.settings.spendHorizon))
            return records
        }
        guard !failures.isEmpty else { return nil }
        let reason = failures.joined(separator: "; ")
        _ = try await nodes.releaseGang(ofJob: job.id, reason: reason, at: clock.now)
        return reason
    }

    /// Makes a node record (with its agent token, and its bid within `cap`, the most the placed
    /// nodes may cost together per hour) per placed node, lets `recordIntent` store them before any
    /// provider is called, launches them all at once, records each accepted launch and fails each
    /// refused node (blocking what the refusal covers). Returns the refusals.
    private func launch(
        _ placed: [PlacedNode], of job: JobRecord, spec: JobSpec, cap: Money?,
        recordIntent: ([NodeRecord]) async throws -> [NodeRecord]
    ) async throws -> [String] {
        let now = clock.now
        let tokens = placed.map { _ in AgentToken() }
        let bids = SpotBid.bids(
            placed.map {
                ($0.offer.pricePerHour, provisioners[$0.offer.id.provider]?.bidStyle(for: $0.offer) ?? .fixed)
            },
            cap: cap)
        let records = try await recordIntent(
            zip(placed, zip(tokens, bids)).map { node, tokenAndBid in
                let (token, bid) = tokenAndBid
                var record = NodeRecord(
                    id: Identifier.make("node", at: now), jobID: job.id, rank: node.rank, offer: node.offer, bid: bid,
                    requestedAt: now)
                record.agentTokenHash = token.hash
                return record
            })
        let outcomes = await withTaskGroup(of: (NodeRecord, Offer, Result<ProviderInstance, ProviderError>).self) {
            group in
            for (record, (node, token)) in zip(records, zip(placed, tokens)) {
                group.addTask {
                    (record, node.offer, await self.launch(node.offer, of: job, spec: spec, node: record, token: token))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var failures: [String] = []
        for (record, offer, outcome) in outcomes.sorted(by: { $0.0.rank < $1.0.rank }) {
            switch outcome {
            case .success(let instance):
                let now = clock.now
                _ = try await nodes.recordLaunch(
                    node: record.id, nativeInstanceID: instance.nativeID, launchedAt: now, at: now)
            case .failure(let error):
                let key = CapacityBlocklist.Key(Self.blockScope(for: error), of: offer)
                let until = await block(key, now: clock.now)
                failures.append(
                    "node \(record.rank) on \(offer.id): \(error) (blocked \(key) until \(RFC3339.string(from: until)))"
                )
                _ = try await nodes.apply(.fail, toNode: record.id, reason: "\(error)", at: clock.now)
            }
        }
        return failures
    }

    /// The launch of `node` on `offer`, refused before any provider call when the node could not
    /// get its agent or reach the broker; a 429 (the request was not processed) is retried after
    /// the provider's `Retry-After` (at most ``maximumRateLimitWait``), twice.
    private func launch(_ offer: Offer, of job: JobRecord, spec: JobSpec, node: NodeRecord, token: AgentToken) async
        -> Result<ProviderInstance, ProviderError>
    {
        let provider = offer.id.provider
        guard let provisioner = provisioners[provider] else {
            return .failure(.misconfigured("no provisioner for provider \(provider)"))
        }
        if let problem = unreachable[provider] { return .failure(.misconfigured(problem)) }
        guard let agent else {
            return .failure(
                .misconfigured("no node agent to deliver: \(AgentBinary.fileName) was not found beside the daemon"))
        }
        let request = LaunchRequest(
            nodeID: node.id, offer: offer, image: spec.image, command: spec.command,
            environment: environment(spec, job: job, node: node, nodes: spec.resources.nodes), agentToken: token.token,
            agent: agent, diskGB: spec.resources.minDiskGB, bid: node.bid)
        var attempt = 0
        while true {
            do {
                return .success(try await provisioner.launch(request, transport: transport))
            } catch .rateLimited(let seconds) where attempt < 2 {
                attempt += 1
                try? await Task.sleep(for: min(.seconds(seconds ?? 1), Self.maximumRateLimitWait))
            } catch {
                return .failure(error)
            }
        }
    }

    static let maximumRateLimitWait = Duration.seconds(10)

    /// What a failed launch blocks: what a capacity refusal names, the offer for anything else
    /// (a transient error should not hold a whole provider back).
    static func blockScope(for error: ProviderError) -> CapacityBlocklist.Scope {
        switch error {
        case .insufficientCapacity(.offer, _): .offer
        case .insufficientCapacity(.region, _): .region
        case .insufficientCapacity(.provider, _), .unauthorized, .misconfigured: .provider
        default: .offer
        }
    }

    /// What the node's command sees besides what its agent adds: the job's own variables and the
    /// gang's shape (never the node's token: that is the agent's alone).
    private func environment(_ spec: JobSpec, job: JobRecord, node: NodeRecord, nodes: Int) -> [String: String] {
        spec.env.merging(
            [
                "NODE_RANK": String(node.rank), "NNODES": String(nodes),
                "GPUS_PER_NODE": String(spec.resources.gpusPerNode), "GRIDBROKER_JOB_ID": job.id,
                "GRIDBROKER_NODE_ID": node.id,
            ], uniquingKeysWith: { _, broker in broker })
    }
}
