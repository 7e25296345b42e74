extension Money {
    /// Reads a plain decimal dollar amount, as providers write prices: "0.287000", "12.29", "3", "-1.5".
    ///
    /// Accepted: optional surrounding whitespace, an optional `+` or `-`, one or more digits, and
    /// optionally a `.` followed by one or more digits. Rejected: empty text, exponents ("1e-3"),
    /// a leading or trailing `.` (".5", "5."), currency signs, grouping separators, "NaN", and
    /// anything else.
    ///
    /// The arithmetic is exact on the decimal digits. Digits beyond the sixth decimal are rounded
    /// half-to-even at the micro-dollar: "0.0000005" is 0, "0.0000015" and "0.0000025" are both
    /// 2 micro-dollars, "0.00000051" is 1. Negative amounts round symmetrically.
    public init(parsing text: String) throws(MoneyParsingError) {
        self.init(microdollars: try Self.parseMicrodollars(text))
    }

    private static func parseMicrodollars(_ text: String) throws(MoneyParsingError) -> Int64 {
        let bytes = Array(text.utf8)
        var index = bytes.startIndex
        var end = bytes.endIndex
        while index < end && bytes[index].isASCIIWhitespace { index += 1 }
        while end > index && bytes[end - 1].isASCIIWhitespace { end -= 1 }

        var negative = false
        if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }

        var magnitude: Int64 = 0
        var overflow = false
        func append(_ digit: Int64) {
            let (shifted, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            overflow = overflow || o1 || o2
            magnitude = sum
        }

        let integerStart = index
        while index < end, let digit = bytes[index].asciiDigitValue {
            append(digit)
            index += 1
        }
        guard index > integerStart else { throw MoneyParsingError(input: text, reason: .malformed) }

        var fractionDigits = 0
        var roundingDigit: Int64 = 0
        var nonZeroAfterRoundingDigit = false
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, let digit = bytes[index].asciiDigitValue {
                switch fractionDigits {
                case 0..<6: append(digit)
                case 6: roundingDigit = digit
                default: nonZeroAfterRoundingDigit = nonZeroAfterRoundingDigit || digit != 0
                }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { throw MoneyParsingError(input: text, reason: .malformed) }
        }
        guard index == end else { throw MoneyParsingError(input: text, reason: .malformed) }

        for _ in min(fractionDigits, 6)..<6 { append(0) }
        if roundingDigit > 5 || (roundingDigit == 5 && (nonZeroAfterRoundingDigit || magnitude % 2 == 1)) {
            let (rounded, o) = magnitude.addingReportingOverflow(1)
            overflow = overflow || o
            magnitude = rounded
        }
        guard !overflow else { throw MoneyParsingError(input: text, reason: .overflow) }
        return negative ? -magnitude : magnitude
    }
}
