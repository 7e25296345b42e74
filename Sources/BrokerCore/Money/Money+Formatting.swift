extension Money {
    /// The amount in dollars as a `Double`, for JSON output and display; never compute with it.
    public var dollars: Double {
        Double(microdollars) / Double(Self.microdollarsPerDollar)
    }

    /// The amount as US dollars with a currency sign: "$14.32", "-$0.05", "$1250.00".
    ///
    /// `fractionDigits` is clamped to 0...6. The amount is rounded half-to-even to that many
    /// decimals (like `NumberFormatter`'s default), so $0.125 shows as "$0.12" and $0.135 as "$0.14".
    /// No grouping separators; no minus sign when the rounded amount is zero.
    public func formatted(fractionDigits: Int = 2) -> String {
        let digits = min(max(fractionDigits, 0), 6)
        let divisor = Self.powerOfTen(6 - digits)
        let (quotient, remainder) = microdollars.quotientAndRemainder(dividingBy: divisor)
        let rounded = quotient.roundedHalfEven(remainder: remainder, divisor: divisor)
        let (whole, fraction) = rounded.magnitude.quotientAndRemainder(dividingBy: UInt64(Self.powerOfTen(digits)))
        var text = rounded < 0 ? "-$" : "$"
        text += String(whole)
        if digits > 0 {
            text += "." + String(zeroPadding: fraction, width: digits)
        }
        return text
    }

    /// The exact amount in dollars as a plain decimal without trailing zeros: "14.32", "0.000001",
    /// "-1.5", "3". ``init(parsing:)`` reads it back to the same amount.
    public var decimalString: String {
        let (whole, fraction) = microdollars.magnitude.quotientAndRemainder(
            dividingBy: UInt64(Self.microdollarsPerDollar))
        var text = microdollars < 0 ? "-" : ""
        text += String(whole)
        if fraction > 0 {
            var digits = String(zeroPadding: fraction, width: 6)
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    private static func powerOfTen(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { power, _ in power * 10 }
    }
}
