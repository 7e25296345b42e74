/// Runs a multi-zone policy over a market, tick by tick, under the rules of ``SpotReplay``, zone by
/// zone:
/// - A spot node in a zone that loses spot is preempted; the policy decides again in the same tick
///   (and may start a node in another zone).
/// - Every start of a node owes the restart overhead, a move to another zone included.
/// - A `.spot(zone:)` decision for a zone without spot waits instead.
/// - From the end of the market's traces on, the rest runs on on-demand.
/// - Billing is the same (the prices do not depend on the zone), the last tick up to the second the
///   work is done.
public struct MultiZoneReplay: Sendable {
    public var market: SpotMarket
    public var job: SpotJob
    public var prices: SpotPrices

    public init(market: SpotMarket, job: SpotJob, prices: SpotPrices = .paper) {
        precondition(job.workSeconds > 0, "a job needs some work")
        self.market = market
        self.job = job
        self.prices = prices
    }

    /// Replays `policy` from market tick `start` until the work is done.
    public func run(_ policy: some MultiZoneSpotPolicy, from start: Int) -> SpotRunResult {
        var policy = policy
        var state = MultiZonePolicyState(
            market: SpotPolicyState(
                job: job, tickSeconds: market.tickSeconds, tick: 0, workDoneSeconds: 0, placement: .none,
                overheadLeftSeconds: 0, spotAvailable: false),
            zone: nil,
            availableStreaks: market.zones.indices.map { market.availableStreak(zone: $0, endingAt: start - 1) })
        var ledger = SpotRunLedger(prices: prices)
        while true {
            let tick = start + state.market.tick
            for zone in market.zones.indices {
                state.availableStreaks[zone] =
                    market.isAvailable(zone: zone, at: tick) ? state.availableStreaks[zone] + 1 : 0
            }
            state.market.spotAvailable = state.availableStreaks.contains { $0 > 0 }
            if let zone = state.zone, !state.isAvailable(zone: zone) {
                state.zone = nil
                state.market.preempt()
            }
            var decision = tick < market.count ? policy.decide(state) : .onDemand
            if let zone = decision.zone, !state.isAvailable(zone: zone) { decision = .wait }
            let newNode = decision.placement != state.market.placement || decision.zone != state.zone
            state.zone = decision.zone
            // A spot tick's letter is its zone's index (0…9), so the run names where it ran.
            let action = decision.zone.map { UInt8(ascii: "0") + UInt8(min($0, 9)) }
            if let result = ledger.run(decision.placement, newNode: newNode, state: &state.market, action: action) {
                return result
            }
        }
    }
}
