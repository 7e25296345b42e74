/// How big the simulated market is: offers per provider, as `gridbroker sim` prints at start-up.
///
/// Offers are counted the way each API lists them: Vast offers; RunPod GPU types; Lambda and
/// Shadeform (instance type, region) pairs; AWS (instance type, availability zone) spot price
/// series. At any moment some of them are sold out or rented (see `GET /_sim/market`).
public struct MarketSummary: Sendable, Hashable {
    public var seed: UInt64
    /// Offers per provider.
    public var offers: [SimulatedProvider: Int]

    /// Offers across all providers.
    public var totalOffers: Int { offers.values.reduce(0, +) }

    public init(seed: UInt64, offers: [SimulatedProvider: Int]) {
        self.seed = seed
        self.offers = offers
    }
}
