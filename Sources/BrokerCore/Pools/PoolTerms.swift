/// What an owner pool sells its machines' GPUs at, and on what terms.
///
/// A `spot` pool's owner may take a machine back, with at least ``minNoticeSeconds`` of notice; an
/// `on_demand` pool's owner promises not to.
public struct PoolTerms: Sendable, Equatable {
    public var market: Market
    /// The least notice the owner gives before taking a machine back (spot pools).
    public var minNoticeSeconds: Int
    /// The price per GPU-hour of a model the pool does not price on its own.
    public var defaultPricePerGPUHour: Money
    /// Prices per GPU-hour by the catalog's model name (`A100-80GB`).
    public var pricePerGPUHour: [String: Money]

    public init(
        market: Market, minNoticeSeconds: Int, defaultPricePerGPUHour: Money, pricePerGPUHour: [String: Money] = [:]
    ) {
        self.market = market
        self.minNoticeSeconds = minNoticeSeconds
        self.defaultPricePerGPUHour = defaultPricePerGPUHour
        self.pricePerGPUHour = pricePerGPUHour
    }

    /// The price per hour of a machine with `count` GPUs of `gpu`.
    public func pricePerHour(gpu: GPUName, count: Int) -> Money {
        (pricePerGPUHour[gpu.name] ?? defaultPricePerGPUHour) * count
    }
}
