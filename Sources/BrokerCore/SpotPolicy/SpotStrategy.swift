/// A stationary way to live through spot's comings and goings, and what it costs in the long run
/// by a zone's learned run and outage lengths:
/// - preempted (no node), wait for spot up to `waitSeconds` into the outage, then on-demand;
/// - on on-demand, go back to spot once it has been there `returnAfterSeconds` (never: nil);
/// - on spot, stay.
///
/// The rates come from an alternating renewal model (runs and outages independent, drawn from the
/// learned distributions): a cycle begins at each outage, either from spot (preempted) or on
/// on-demand, and the cycles form a two-state Markov chain whose stationary mix gives money and
/// lost time (waiting and restart overheads) per second of progress.
struct SpotStrategy: Sendable, Equatable {
    /// How long into an outage to wait before on-demand (infinity: wait it out).
    var waitSeconds: Double
    /// How long spot must have been back before leaving on-demand for it; nil: never.
    var returnAfterSeconds: Double?
    /// Money per second of progress, relative to on-demand (1: on-demand only).
    var costRate: Double
    /// Seconds lost per second of progress.
    var lostRate: Double

    /// The thresholds tried, for waiting and for going back, in seconds: none, then from 5 minutes
    /// to about 11 hours, each 15 % above the one before.
    static let thresholds: [Double] =
        [0] + (0..<36).map { step in (0..<step).reduce(300.0) { value, _ in value * 1.15 } }

    /// The strategies worth considering: for every lost-time rate, the cheapest, in increasing lost
    /// rate (and decreasing cost). The first is on-demand only, which loses nothing.
    static func frontier(
        runs: SpellDistribution, outages: SpellDistribution, overheadSeconds: Double, spotPriceRatio: Double
    ) -> [SpotStrategy] {
        let o = overheadSeconds
        let waits = thresholds + [.infinity]
        let meanRun = runs.mean
        let meanOutage = outages.mean
        var candidates = [SpotStrategy(waitSeconds: 0, returnAfterSeconds: nil, costRate: 1, lostRate: 0)]
        for wait in waits {
            let idle = outages.truncatedMean(at: wait)
            let toOnDemand = outages.survival(after: wait)
            let onDemandInOutage = wait.isInfinite ? 0 : outages.excessMean(after: wait)
            for back in thresholds {
                let returning = runs.survival(after: back)
                let onDemandInRun = runs.truncatedMean(at: back)
                let spotInRun = runs.excessMean(after: back)
                // A cycle from spot (preempted at its start).
                let fromSpotStarts = 1 + toOnDemand * returning
                var onDemand = onDemandInOutage + toOnDemand * onDemandInRun
                var spot = (1 - toOnDemand) * meanRun + toOnDemand * spotInRun
                var starts = fromSpotStarts
                var lost = idle + o * fromSpotStarts
                // Cycles on on-demand, per cycle from spot: the chain goes spot → on-demand with
                // probability toOnDemand × (1 − returning), and back with probability returning.
                if toOnDemand > 0 && returning < 1 {
                    guard returning > 0 else { continue }
                    let weight = toOnDemand * (1 - returning) / returning
                    onDemand += weight * (meanOutage + onDemandInRun)
                    spot += weight * spotInRun
                    starts += weight * returning
                    lost += weight * o * returning
                }
                let progress = onDemand + spot - o * starts
                guard progress > 0 else { continue }
                candidates.append(
                    SpotStrategy(
                        waitSeconds: wait, returnAfterSeconds: back,
                        costRate: (onDemand + spotPriceRatio * spot) / progress, lostRate: lost / progress))
            }
        }
        candidates.sort { ($0.lostRate, $0.costRate) < ($1.lostRate, $1.costRate) }
        var frontier: [SpotStrategy] = []
        for candidate in candidates where candidate.costRate < (frontier.last?.costRate ?? .infinity) {
            frontier.append(candidate)
        }
        return frontier
    }
}
