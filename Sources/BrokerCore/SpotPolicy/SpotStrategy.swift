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
        // What each threshold gives, computed once: per wait, in an outage; per return age, in a run.
        let inOutage = waits.map { wait in
            (
                idle: outages.truncatedMean(at: wait), toOnDemand: outages.survival(after: wait),
                onDemand: wait.isInfinite ? 0 : max(0, meanOutage - outages.truncatedMean(at: wait))
            )
        }
        let inRun = thresholds.map { back in
            (
                returning: runs.survival(after: back), onDemand: runs.truncatedMean(at: back),
                spot: max(0, meanRun - runs.truncatedMean(at: back))
            )
        }
        for (wait, outage) in zip(waits, inOutage) {
            let idle = outage.idle
            let toOnDemand = outage.toOnDemand
            let onDemandInOutage = outage.onDemand
            for (back, run) in zip(thresholds, inRun) {
                let returning = run.returning
                let onDemandInRun = run.onDemand
                let spotInRun = run.spot
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
