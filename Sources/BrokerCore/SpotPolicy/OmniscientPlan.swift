/// The cheapest way through a trace for a job, planned knowing the whole trace: which spot runs to
/// ride and in which gaps between them to run on-demand. ``OmniscientPlanner`` makes it,
/// ``OmniscientPolicy`` follows it.
public struct OmniscientPlan: Sendable, Hashable {
    /// One stretch of the plan, in ticks after the start.
    public struct Stretch: Sendable, Hashable {
        public var ticks: Range<Int>
        /// Seconds of work the stretch can do at most (its length, clipped at the deadline, less one
        /// restart overhead).
        public var capacitySeconds: Int64
    }

    /// Spot runs to ride, whole, in time order.
    public var spotRuns: [Stretch]
    /// Gaps between (and around) the spot runs in which on-demand runs, in time order.
    public var onDemandWindows: [Stretch]
    /// The plan's cost if on-demand could stop at any second: a lower bound on what any policy
    /// pays on this trace (following the plan may cost up to a tick of on-demand per window more).
    public var lowerBound: Money
}
