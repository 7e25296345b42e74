/// A `market: auto` job's spot policy over the job's whole life: the scheduler stores it with the
/// job and advances it on every pass with what it sees, exactly as ``SpotReplay`` advances a
/// policy tick by tick over a trace, so the daemon decides what `simulate-policy` measures.
///
/// It keeps the replay's bookkeeping: where the policy has the job (``placement``), since when
/// (the restart overhead runs from there), and the policy's own memory. The frame (work, deadline,
/// overhead) is fixed at the first step.
public struct AutoMarketPilot: Sendable, Codable, Equatable {
    public private(set) var job: SpotJob
    public private(set) var policy: GridbrokerSpotPolicy
    /// Where the policy has the job now: after a step, where its decision put it.
    public private(set) var placement: SpotPlacement
    /// Seconds after the job's submission when ``placement`` began.
    public private(set) var placementSince: Int64
    /// When the last step was taken (seconds after submission).
    public private(set) var lastStepAt: Int64?

    /// `prices`: what a gang of the job costs per hour on each market (the policy weighs spot's
    /// savings against the time it risks by their ratio).
    public init(job: SpotJob, history: SpotHistory, prices: SpotPrices = .paper) {
        self.job = job
        self.policy = GridbrokerSpotPolicy(job: job, history: history, prices: prices)
        self.placement = .none
        self.placementSince = 0
    }

    /// What the scheduler sees at one pass.
    public struct Observation: Sendable, Equatable {
        /// Seconds since the job's submission.
        public var elapsedSeconds: Int64
        /// Seconds between passes: how soon the policy can act again.
        public var tickSeconds: Int64
        /// Seconds of the job's work done (its share of shards done × its work).
        public var workDoneSeconds: Int64
        /// Whether a spot gang for the job fits now.
        public var spotAvailable: Bool
        /// The job's spot nodes were reclaimed since the last pass (the replay's preemption).
        public var spotLost: Bool
        /// The market the job's gang runs on, when it runs.
        public var running: SpotPlacement?

        public init(
            elapsedSeconds: Int64, tickSeconds: Int64, workDoneSeconds: Int64, spotAvailable: Bool,
            spotLost: Bool = false, running: SpotPlacement? = nil
        ) {
            self.elapsedSeconds = elapsedSeconds
            self.tickSeconds = tickSeconds
            self.workDoneSeconds = workDoneSeconds
            self.spotAvailable = spotAvailable
            self.spotLost = spotLost
            self.running = running
        }
    }

    /// Advances the policy by one pass and returns its decision, under the replay's rules: a spot
    /// placement that lost its nodes is back to none; spot while none is available is a wait; a
    /// change of placement restarts the overhead. A gang found running somewhere the policy did
    /// not put it (a lost rank replaced on the other market) is where the policy has it from then.
    public mutating func step(_ observation: Observation) -> SpotDecision {
        let now = max(0, observation.elapsedSeconds)
        if let running = observation.running, running != placement {
            placement = running
            placementSince = now
        }
        if placement == .spot && observation.spotLost {
            placement = .none
            placementSince = now
        }
        let tickSeconds = max(1, observation.tickSeconds)
        let overheadLeft =
            placement == .none ? 0 : max(0, job.restartOverheadSeconds - (now - placementSince))
        let state = SpotPolicyState(
            job: job, tickSeconds: tickSeconds, tick: Int(now / tickSeconds),
            workDoneSeconds: min(job.workSeconds, max(0, observation.workDoneSeconds)), placement: placement,
            overheadLeftSeconds: overheadLeft, spotAvailable: observation.spotAvailable)
        var decision = policy.decide(state)
        if decision == .spot && !observation.spotAvailable { decision = .wait }
        if decision.placement != placement {
            placement = decision.placement
            placementSince = now
        }
        lastStepAt = now
        return decision
    }
}
