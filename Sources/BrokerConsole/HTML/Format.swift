import BrokerCore
import Foundation

/// How values read on the pages: money from micro-dollars, times in UTC.
enum Format {
    static func money(_ amount: Money) -> String { amount.formatted() }

    /// Per-hour prices keep cents of cents: "$1.7900/h" would hide nothing, "$1.79/h" is enough.
    static func perHour(_ amount: Money) -> String { amount.formatted() + "/h" }

    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return RFC3339.string(from: date)
    }
}
