/// A planned migration of a running `market: auto` job to the other market, and its reason in
/// money for the timeline: the job's pilot wants on-demand while its gang runs on spot (before the
/// point of no return), or spot while it runs on on-demand.
public struct AutoMarketMove: Sendable, Equatable {
    /// The market the gang moves to.
    public var to: Market
    /// The job's nodes that leave (those on the other market).
    public var nodes: [String]
    public var reason: String

    /// What each node that leaves is told: it is not lost, it bills until the move is done.
    public static let nodeReason = "moved by market auto: it runs until its replacement does"

    /// One node of the running gang.
    public struct Member: Sendable, Equatable {
        public var id: String
        public var market: Market
        public var pricePerHour: Money

        public init(id: String, market: Market, pricePerHour: Money) {
            self.id = id
            self.market = market
            self.pricePerHour = pricePerHour
        }
    }

    /// The move `choice` means for `gang`; nil to stay. `target` is what the best gang of the
    /// chosen market would cost per hour (nil: none fits, so there is nowhere to go).
    public static func decide(
        choice: AutoMarketChoice, gang: [Member], pilot: AutoMarketPilot, workDoneSeconds: Int64, target: Money?
    ) -> AutoMarketMove? {
        let market: Market
        switch choice {
        case .spot: market = .spot
        case .onDemand: market = .onDemand
        case .cheapest, .wait: return nil
        }
        let leaving = gang.filter { $0.market != market }
        guard !leaving.isEmpty, let target else { return nil }
        let current = gang.reduce(Money.zero) { $0 + $1.pricePerHour }
        let job = pilot.job
        let workLeft = max(0, job.workSeconds - workDoneSeconds)
        let timeLeft = max(0, job.deadlineSeconds - (pilot.lastStepAt ?? 0))
        let hours = { (seconds: Int64) in
            let tenths = (seconds * 10 + 1800) / 3600
            return "\(tenths / 10).\(tenths % 10) h"
        }
        let reason: String
        switch market {
        case .onDemand:
            reason =
                "market auto: to on-demand before the point of no return: \(hours(workLeft)) of work left, "
                + "\(hours(timeLeft)) to the deadline; on-demand \(target.formatted())/h instead of spot's "
                + "\(current.formatted())/h, so that no further reclaim can make the deadline unreachable"
        case .spot:
            let saved = current - target
            let restart = target.cost(forSeconds: job.restartOverheadSeconds)
            reason =
                "market auto: back to spot: \(target.formatted())/h instead of on-demand's \(current.formatted())/h, "
                + "about \(saved.cost(forSeconds: workLeft).formatted()) less over the \(hours(workLeft)) of work "
                + "left, for one restart (\(restart.formatted())); \(hours(timeLeft)) to the deadline"
        }
        return AutoMarketMove(to: market, nodes: leaving.map(\.id), reason: reason)
    }
}
