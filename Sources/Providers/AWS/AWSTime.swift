import BrokerCore
import Foundation

/// The UTC timestamp formats AWS speaks: `20150830T123600Z` in signatures, ISO 8601 in the Query
/// API (`2026-11-21T15:02:11Z` out, `2026-11-21T15:02:11.000Z` back).
///
enum AWSTime {
    /// `YYYYMMDD'T'HHMMSS'Z'`, the `X-Amz-Date` of a signature.
    static func amzDate(_ date: Date) -> String {
        let f = RFC3339.fields(of: date).padded
        return f.year + f.month + f.day + "T" + f.hour + f.minute + f.second + "Z"
    }

    /// `YYYYMMDD`, the date of a signature's credential scope.
    static func dateStamp(_ date: Date) -> String {
        let f = RFC3339.fields(of: date).padded
        return f.year + f.month + f.day
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, as the Query API takes a timestamp parameter.
    static func iso8601(_ date: Date) -> String {
        RFC3339.string(from: Date(timeIntervalSinceReferenceDate: date.timeIntervalSinceReferenceDate.rounded(.down)))
    }
}
