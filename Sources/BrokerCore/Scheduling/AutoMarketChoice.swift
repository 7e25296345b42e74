#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// For a `market: auto` job: where its nodes go (spot, on-demand, or nowhere yet), decided by the
/// job's ``AutoMarketPilot`` (``GridbrokerSpotPolicy`` with its memory) on the job's real progress
/// and deadline, on every scheduler pass: when it places the job, replaces a reclaimed node, or
/// watches it run (where a change of market is a planned migration).
///
/// The job's frame is the policy's: time from its submission to its deadline, work as the hours the
/// best on-demand gang needs for all of it (the conservative estimate: a spot gang of the same
/// speed takes as long), progress as the share of shards done. Without a deadline, or without
/// `work` to estimate hours from, there is nothing to protect: the cheapest placement of either
/// market wins.
public enum AutoMarketChoice: Sendable, Equatable {
    /// Quote both markets together; the cheapest wins.
    case cheapest
    case spot
    case onDemand
    /// Place nothing now; `reason` says why, in numbers.
    case wait(reason: String)

    /// What the scheduler knows at one decision.
    public struct Inputs: Sendable {
        /// When the job was submitted: the start of the policy's frame.
        public var submittedAt: Date
        public var deadline: Date?
        public var now: Date
        /// Hours the best on-demand gang needs for the work left; nil when no on-demand gang fits
        /// or the job gives no `work`.
        public var onDemandHours: Double?
        /// Hours the best spot gang needs for the work left; nil when no spot gang fits now (or no `work`).
        public var spotHours: Double?
        /// Whether any spot gang fits now (with or without an estimate).
        public var spotAvailable: Bool
        /// The share of the job's work already done, 0...1.
        public var doneFraction: Double
        /// What every (re)start of a node costs before it makes progress.
        public var restartOverhead: Duration
        /// Whether nodes of the job keep billing while it waits (the survivors of a gang that lost
        /// a rank): waiting then costs more than on-demand, so it never waits.
        public var survivorsBilling: Bool
        /// Seconds between scheduler passes.
        public var tickSeconds: Int64
        /// The job's spot nodes were reclaimed since the last pass.
        public var spotLost: Bool
        /// The market the job's gang runs on, when it runs.
        public var running: SpotPlacement?
        /// What the best gang of each market costs per hour now, when known (the pilot's first
        /// decision weighs spot's savings by them; the paper's ratio otherwise).
        public var prices: SpotPrices?

        public init(
            submittedAt: Date, deadline: Date?, now: Date, onDemandHours: Double?, spotHours: Double?,
            spotAvailable: Bool, doneFraction: Double, restartOverhead: Duration, survivorsBilling: Bool = false,
            tickSeconds: Int64 = 5, spotLost: Bool = false, running: SpotPlacement? = nil, prices: SpotPrices? = nil
        ) {
            self.submittedAt = submittedAt
            self.deadline = deadline
            self.now = now
            self.onDemandHours = onDemandHours
            self.spotHours = spotHours
            self.spotAvailable = spotAvailable
            self.doneFraction = doneFraction
            self.restartOverhead = restartOverhead
            self.survivorsBilling = survivorsBilling
            self.tickSeconds = tickSeconds
            self.spotLost = spotLost
            self.running = running
            self.prices = prices
        }
    }

    /// Whether the policy has anything to decide for `spec`: `market: auto` with a deadline to
    /// protect and `work` to estimate hours from (for any other job, the cheapest placement wins).
    public static func applies(to spec: JobSpec) -> Bool {
        spec.market == .auto && spec.deadline != nil && spec.work != nil
    }

    /// Advances the job's `pilot` (made on the first decision, with `history`: what the broker
    /// recorded of spot capacity for the job before then) by one pass and says what it means.
    public static func decide(
        _ inputs: Inputs, pilot: inout AutoMarketPilot?, history: () -> SpotHistory
    ) -> AutoMarketChoice {
        guard let deadline = inputs.deadline else { return .cheapest }
        // The frame is fixed at the first decision, which needs a gang to estimate the work from.
        guard
            var current = pilot
                ?? (inputs.onDemandHours ?? inputs.spotHours).map({ hoursLeft in
                    AutoMarketPilot(
                        job: SpotJob(
                            workSeconds: max(
                                1, Int64((hoursLeft * 3600 / max(0.01, 1 - inputs.doneFraction)).rounded(.up))),
                            deadlineSeconds: max(1, Int64(deadline.timeIntervalSince(inputs.submittedAt))),
                            restartOverheadSeconds: inputs.restartOverhead.components.seconds),
                        history: history(), prices: inputs.prices ?? .paper)
                })
        else { return .cheapest }
        let decision = current.step(
            AutoMarketPilot.Observation(
                elapsedSeconds: max(0, Int64(inputs.now.timeIntervalSince(inputs.submittedAt))),
                tickSeconds: inputs.tickSeconds,
                workDoneSeconds: Int64(
                    (Double(current.job.workSeconds) * min(1, max(0, inputs.doneFraction))).rounded()),
                spotAvailable: inputs.spotAvailable, spotLost: inputs.spotLost, running: inputs.running))
        pilot = current
        switch decision {
        case .spot:
            return .spot
        case .onDemand:
            // Without an on-demand gang, spot is the only way to make progress at all.
            if inputs.onDemandHours == nil { return inputs.spotAvailable ? .spot : .wait(reason: "no gang fits") }
            return .onDemand
        case .wait:
            if inputs.survivorsBilling { return .onDemand }
            // The same words on every pass while it waits: the timeline records a change of reason.
            return .wait(
                reason: "market auto: no spot capacity fits now; waiting for it while the deadline "
                    + "\(RFC3339.string(from: deadline)) allows, on-demand before the slack runs out")
        }
    }

    /// `spec` with its market narrowed to this choice; nil when the job is to wait.
    public func narrowing(_ spec: JobSpec) -> JobSpec? {
        var narrowed = spec
        switch self {
        case .cheapest: return spec
        case .spot: narrowed.market = .spot
        case .onDemand: narrowed.market = .onDemand
        case .wait: return nil
        }
        return narrowed
    }
}
