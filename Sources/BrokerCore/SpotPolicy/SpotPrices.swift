/// Prices per hour of one node on each market.
public struct SpotPrices: Sendable, Hashable, Codable {
    public var onDemandPerHour: Money
    public var spotPerHour: Money

    public init(onDemandPerHour: Money, spotPerHour: Money) {
        self.onDemandPerHour = onDemandPerHour
        self.spotPerHour = spotPerHour
    }

    /// `onDemandPerHour`, and spot at `spotPerHourIfKnown`, else at the ratio of ``paper`` (0.3 of
    /// on-demand): what a market looks like while no spot fits.
    public init(onDemandPerHour: Money, spotPerHourIfKnown: Money?) {
        let paper = Self.paper
        self.init(
            onDemandPerHour: onDemandPerHour,
            spotPerHour: spotPerHourIfKnown
                ?? Money(
                    microdollars: onDemandPerHour.microdollars * paper.spotPerHour.microdollars
                        / paper.onDemandPerHour.microdollars))
    }

    /// p3.2xlarge (1x V100) in the "Can't Be Late" setting: on-demand 3.06 $/h, spot 0.918 $/h.
    public static let paper = SpotPrices(
        onDemandPerHour: Money(microdollars: 3_060_000), spotPerHour: Money(microdollars: 918_000))

    /// The hourly price of `placement` (zero when nothing runs).
    public func perHour(_ placement: SpotPlacement) -> Money {
        switch placement {
        case .none: .zero
        case .spot: spotPerHour
        case .onDemand: onDemandPerHour
        }
    }
}
