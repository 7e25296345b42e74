import BrokerCore
import Foundation

/// How values read on the pages: money from micro-dollars, times in UTC.
enum Format {
    static func money(_ amount: Money) -> String { amount.formatted() }

    /// A price per hour: "$1.79/h".
    static func perHour(_ amount: Money) -> String { amount.formatted() + "/h" }

    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return RFC3339.string(from: date)
    }
}
