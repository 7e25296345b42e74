import BrokerCore
import Foundation

/// The timestamps the simulated APIs write and read: UTC ISO 8601 from Unix seconds, and back
/// (through BrokerCore's RFC 3339 code).
enum Timestamp {
    /// "2026-11-21T15:02:11.000Z" (with `milliseconds`) or "2026-11-21T15:02:11Z".
    static func iso8601(_ unixSeconds: Double, milliseconds: Bool = false) -> String {
        let totalMilliseconds = Int64((unixSeconds * 1_000).rounded(.down))
        let millis = (totalMilliseconds % 1_000 + 1_000) % 1_000
        let seconds = (totalMilliseconds - millis) / 1_000
        let f = RFC3339.fields(of: Date(timeIntervalSince1970: Double(seconds))).padded
        var text = "\(f.year)-\(f.month)-\(f.day)T\(f.hour):\(f.minute):\(f.second)"
        if milliseconds {
            let digits = String(millis)
            text += "." + String(repeating: "0", count: 3 - digits.count) + digits
        }
        return text + "Z"
    }

    /// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" to Unix seconds; nil when malformed.
    static func parseISO8601(_ text: String) -> Double? {
        RFC3339.date(from: text)?.timeIntervalSince1970
    }
}
