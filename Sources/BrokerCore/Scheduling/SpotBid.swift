/// What a node offers to pay for its instance, and what it will pay.
///
/// Spot markets take an instance back when the price rises over its bid, so a bid of exactly the
/// current price loses the instance at the first rise. How much headroom a bid gets depends on how
/// the provider charges:
/// - ``Style/marketPrice`` (EC2 spot): the instance pays the market price, whatever the bid. The
///   bid (`MaxPrice`) is left unset, which means "at most the on-demand price", unless the job's
///   price cap is lower: then the node's share of the cap is the bid.
/// - ``Style/bid(marginPPM:)`` (Vast.ai interruptible, RunPod spot): the instance pays its bid. The
///   bid is the ask plus a margin, as far as the job's price cap leaves room.
/// - ``Style/fixed``: on-demand and fixed-price offers; no bid, the ask is the price.
public struct SpotBid: Sendable, Equatable {
    /// How a provider charges an offer's market.
    public enum Style: Sendable, Equatable {
        case fixed
        /// The market price is paid; `onDemand` is the price an unset bid stops at, when known.
        case marketPrice(onDemand: Money?)
        /// The bid is paid; it is the ask plus `marginPPM` millionths of it.
        case bid(marginPPM: Int64)
    }

    /// The margin over the ask a bid gets unless the provider's `bid_margin` says otherwise: 10 %.
    public static let defaultMarginPPM: Int64 = 100_000

    /// The bid per hour for the whole instance, or nil for none (the provider's own limit).
    public var maximum: Money?
    /// What the instance is expected to cost per hour: its spend is counted at this price.
    public var paid: Money

    public init(maximum: Money?, paid: Money) {
        self.maximum = maximum
        self.paid = paid
    }

    /// The bids of a gang's nodes, in the order of `asks`, when the job caps the gang's total
    /// price per hour at `cap` (nil: no cap). The cap's headroom over the asks' total is shared
    /// in proportion to each ask, so the bids together never pass the cap (and never fall under
    /// the asks, which the placement already kept within it).
    public static func bids(_ asks: [(ask: Money, style: Style)], cap: Money?) -> [SpotBid] {
        let total = asks.reduce(Money.zero) { $0 + $1.ask }
        return asks.map { node -> SpotBid in
            let share: Money? = cap.flatMap { Self.share(of: $0, ask: node.ask, total: total) }
            return bid(ask: node.ask, style: node.style, share: share)
        }
    }

    /// One node's bid, given its share of the cap (nil: no cap).
    static func bid(ask: Money, style: Style, share: Money?) -> SpotBid {
        switch style {
        case .fixed:
            return SpotBid(maximum: nil, paid: ask)
        case .marketPrice(let onDemand):
            guard let share else { return SpotBid(maximum: nil, paid: ask) }
            if let onDemand, share >= onDemand { return SpotBid(maximum: nil, paid: ask) }
            return SpotBid(maximum: share, paid: ask)
        case .bid(let marginPPM):
            let wanted = ask + scaled(ask, by: marginPPM)
            let capped = share.map { min(wanted, $0) } ?? wanted
            let bid = max(ask, capped)
            return SpotBid(maximum: bid, paid: bid)
        }
    }

    /// `ask`'s part of `cap` when the gang's asks total `total`: `ask × cap / total`, rounded down.
    /// Nil when the asks total nothing. (With `0 ≤ ask ≤ total` the quotient is at most `cap`, so
    /// the full-width division cannot overflow.)
    static func share(of cap: Money, ask: Money, total: Money) -> Money? {
        guard total.microdollars > 0, ask.microdollars >= 0, ask <= total, cap.microdollars >= 0 else { return nil }
        let product = ask.microdollars.multipliedFullWidth(by: cap.microdollars)
        return Money(microdollars: total.microdollars.dividingFullWidth(product).quotient)
    }

    /// `amount × ppm / 1 000 000`, rounded down.
    static func scaled(_ amount: Money, by ppm: Int64) -> Money {
        Money(microdollars: amount.microdollars / 1_000_000 * ppm + amount.microdollars % 1_000_000 * ppm / 1_000_000)
    }
}
