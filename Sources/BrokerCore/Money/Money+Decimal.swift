#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Money {
    /// The exact amount in dollars as a `Decimal`, which `JSONEncoder` writes as a plain JSON number
    /// ("40", "0.287") with no binary rounding.
    var decimalDollars: Decimal {
        Decimal(sign: microdollars < 0 ? .minus : .plus, exponent: -6, significand: Decimal(microdollars.magnitude))
    }
}
