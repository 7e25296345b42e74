import BrokerCore
import Foundation

/// How values read on the pages: money from micro-dollars, times in UTC.
enum Format {
    static func money(_ amount: Money) -> String { amount.formatted() }

    /// A price per hour: "$1.79/h".
    static func perHour(_ amount: Money) -> String { amount.formatted() + "/h" }

    /// "2026-12-06 21:15:18 UTC", to the second.
    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return RFC3339.string(from: date).prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}
