/// An amount of US dollars, held exactly as an integer number of micro-dollars (1 USD = 1,000,000).
///
/// Money never passes through `Double` inside the broker: prices are parsed from their decimal
/// digits (``init(parsing:)``), added and multiplied as integers, and only turned into a `Double`
/// (``dollars``) or text (``formatted(fractionDigits:)``, ``decimalString``) at the edges.
///
/// Arithmetic traps on overflow, like `Int64`; that takes more than nine trillion dollars.
public struct Money: Sendable, Hashable, Comparable, AdditiveArithmetic {
    /// Micro-dollars per dollar.
    public static let microdollarsPerDollar: Int64 = 1_000_000

    /// No money.
    public static let zero = Money(microdollars: 0)

    /// The amount in micro-dollars (millionths of a US dollar).
    public var microdollars: Int64

    /// An amount in micro-dollars.
    public init(microdollars: Int64) {
        self.microdollars = microdollars
    }

    /// An amount in cents (hundredths of a dollar).
    public init(cents: Int64) {
        self.init(microdollars: cents * 10_000)
    }

    /// The nearest amount to a `Double` number of dollars, ties rounded away from zero.
    ///
    /// Returns nil for NaN, infinities and amounts that do not fit in `Int64` micro-dollars.
    /// `Money(dollars: 0.1 + 0.2)` is exactly 30 cents: the binary error is far below a micro-dollar.
    public init?(dollars: Double) {
        let scaled = (dollars * Double(Self.microdollarsPerDollar)).rounded(.toNearestOrAwayFromZero)
        guard let microdollars = Int64(exactly: scaled) else { return nil }
        self.init(microdollars: microdollars)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.microdollars < rhs.microdollars
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(microdollars: lhs.microdollars + rhs.microdollars)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(microdollars: lhs.microdollars - rhs.microdollars)
    }

    public static func * (lhs: Money, rhs: Int) -> Money {
        Money(microdollars: lhs.microdollars * Int64(rhs))
    }

    public static func * (lhs: Int, rhs: Money) -> Money {
        rhs * lhs
    }
}

extension Money: Codable {
    /// Decodes the bare micro-dollar integer written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        self.init(microdollars: try decoder.singleValueContainer().decode(Int64.self))
    }

    /// Encodes the micro-dollar integer; API layers that speak decimal dollars convert at their edge.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(microdollars)
    }
}
