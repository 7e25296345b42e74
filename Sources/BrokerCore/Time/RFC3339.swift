#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Internet timestamps (RFC 3339, the strict profile of ISO 8601 that APIs use):
/// "2026-12-04T18:00:00Z", "2026-12-04T19:00:00.250+01:00".
///
/// Written out by hand (proleptic Gregorian, no calendars or formatters), so it is exact, fast and
/// the same on every platform; provider adapters and the simulated market format through it too.
public enum RFC3339 {
    /// The UTC calendar fields of a moment, to the whole second.
    public struct Fields: Sendable, Equatable {
        public var year: Int64
        public var month: Int64
        public var day: Int64
        public var hour: Int64
        public var minute: Int64
        public var second: Int64

        /// Zero-padded: `year` to four digits, the others to two.
        public var padded: (year: String, month: String, day: String, hour: String, minute: String, second: String) {
            (
                String(zeroPadding: year, width: 4), String(zeroPadding: month, width: 2),
                String(zeroPadding: day, width: 2), String(zeroPadding: hour, width: 2),
                String(zeroPadding: minute, width: 2), String(zeroPadding: second, width: 2)
            )
        }
    }

    /// The UTC fields of `date`; the fraction of a second is dropped.
    public static func fields(of date: Date) -> Fields {
        let unixSeconds = Int64(date.timeIntervalSinceReferenceDate.rounded(.down)) + unixToReferenceDate
        let (days, secondOfDay) = floorDivision(unixSeconds, 86_400)
        let (year, month, day) = civilDate(daysSinceUnixEpoch: days)
        return Fields(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60)
    }

    /// Seconds between 1970-01-01 and 2001-01-01, `Date`'s reference date.
    private static let unixToReferenceDate: Int64 = 978_307_200

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `T` and `Z` may be lowercase.
    ///
    /// Fractions keep up to nanoseconds (further digits are dropped). Out-of-range fields
    /// (month 13, February 30th, hour 24, leap second 60) are rejected.
    public static func date(from text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t"),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2)
        else { return nil }

        var nanoseconds: Int64 = 0
        if scanner.skip(".") {
            var digits = 0
            while let digit = scanner.number(digits: 1) {
                if digits < 9 { nanoseconds = nanoseconds * 10 + digit }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { nanoseconds *= 10 }
        }

        var offsetSeconds: Int64 = 0
        if !(scanner.skip("Z") || scanner.skip("z")) {
            let sign: Int64
            if scanner.skip("+") {
                sign = 1
            } else if scanner.skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHours = scanner.number(digits: 2), scanner.skip(":"),
                let offsetMinutes = scanner.number(digits: 2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }

        guard scanner.isAtEnd, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }

        let unixSeconds =
            daysSinceUnixEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
            - offsetSeconds
        return Date(
            timeIntervalSinceReferenceDate: Double(unixSeconds - unixToReferenceDate) + Double(nanoseconds) / 1e9)
    }

    /// Formats `date` in UTC with a `Z`, with as many fraction digits (up to nine) as it needs.
    /// ``date(from:)`` reads the result back to the same `Date`.
    public static func string(from date: Date) -> String {
        let interval = date.timeIntervalSinceReferenceDate
        var seconds = interval.rounded(.down)
        var nanoseconds = Int64(((interval - seconds) * 1e9).rounded())
        if nanoseconds == 1_000_000_000 {
            seconds += 1
            nanoseconds = 0
        }
        let f = fields(of: Date(timeIntervalSinceReferenceDate: seconds)).padded
        var text = "\(f.year)-\(f.month)-\(f.day)T\(f.hour):\(f.minute):\(f.second)"
        if nanoseconds > 0 {
            var fraction = String(zeroPadding: nanoseconds, width: 9)
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceUnixEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivision(y, 400).quotient
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysSinceUnixEpoch(year:month:day:)`` (Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceUnixEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Reads an ASCII timestamp left to right.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { index == bytes.count }

        /// Consumes `character` if it is next.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Consumes exactly `digits` decimal digits, or nothing.
        mutating func number(digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard let digit = byte.asciiDigitValue else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
    }
}
