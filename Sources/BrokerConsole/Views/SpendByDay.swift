import BrokerCore
import Foundation
import Store

/// A team's spend per UTC day, from its nodes' launch-time prices: each node's billed time (from
/// launch until the provider confirmed it gone, or `now`) split at midnight, each part at the
/// node's price.
public enum SpendByDay {
    public struct Day: Sendable, Equatable {
        /// Midnight UTC that starts the day.
        public var start: Date
        public var spend: Money
    }

    private static let secondsPerDay: TimeInterval = 86_400

    /// The days with spend, oldest first.
    public static func days(of nodes: [NodeRecord], now: Date) -> [Day] {
        var byDay: [Date: Money] = [:]
        for node in nodes {
            guard let launched = node.launchedAt else { continue }
            let end = min(node.terminatedAt ?? now, now)
            var dayStart = midnight(before: launched)
            while dayStart < end {
                let dayEnd = dayStart.addingTimeInterval(secondsPerDay)
                // Cumulative figures, so the days of one node add up to its whole spend exactly.
                let part =
                    SpendGuard.accrued(price: node.pricePerHour, from: launched, to: min(dayEnd, end))
                    - SpendGuard.accrued(price: node.pricePerHour, from: launched, to: max(dayStart, launched))
                if part > .zero { byDay[dayStart, default: .zero] = byDay[dayStart, default: .zero] + part }
                dayStart = dayEnd
            }
        }
        return byDay.map { Day(start: $0.key, spend: $0.value) }.sorted { $0.start < $1.start }
    }

    static func midnight(before date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / secondsPerDay).rounded(.down) * secondsPerDay)
    }
}
