#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parsing of the `Retry-After` header (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// The wait a `Retry-After` value asks for: delay-seconds, or an HTTP-date in any of the three
    /// formats (IMF-fixdate, RFC 850, asctime). A date in the past means no wait.
    ///
    /// - Parameters:
    ///   - value: the header value.
    ///   - now: the current time in seconds since 1970; defaults to the system clock.
    /// - Returns: the wait, or `nil` if the value is malformed.
    public static func parse(_ value: String, now: Int64 = currentUnixTime()) -> Duration? {
        let trimmed = value.trimmingASCIIWhitespace()
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(trimmed) else { return nil }
            return .seconds(seconds)
        }
        guard let date = parseHTTPDate(trimmed) else { return nil }
        return .seconds(max(0, date - now))
    }

    /// Seconds since 1970 from the system's real-time clock.
    public static func currentUnixTime() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// Seconds since 1970 for an HTTP-date, or `nil`.
    public static func parseHTTPDate(_ text: String) -> Int64? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        let day: Int
        let month: Int
        var year: Int
        let time: String
        switch tokens.count {
        case 5 where tokens[0].count == 3:
            // asctime: "Sun Nov  6 08:49:37 1994"
            guard let m = monthNumber(tokens[1]), let d = Int(tokens[2]), let y = Int(tokens[4]) else { return nil }
            (day, month, year, time) = (d, m, y, tokens[3])
        case 4:
            // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard tokens[3] == "GMT", parts.count == 3, let d = Int(parts[0]), let m = monthNumber(parts[1]),
                let y = Int(parts[2])
            else { return nil }
            (day, month, year, time) = (d, m, y, tokens[2])
            if year < 100 { year += year < 70 ? 2000 : 1900 }
        case 6:
            // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
            guard tokens[5] == "GMT", let d = Int(tokens[1]), let m = monthNumber(tokens[2]), let y = Int(tokens[3])
            else { return nil }
            (day, month, year, time) = (d, m, y, tokens[4])
        default:
            return nil
        }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]), (0...59).contains(clock[1]),
            (0...60).contains(clock[2])
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
