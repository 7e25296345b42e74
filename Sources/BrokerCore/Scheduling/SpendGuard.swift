#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decides whether a running job may go on spending: it must stop before its own `budget_usd` or
/// its team's budget would be exceeded. "Before" means with enough margin that the spend accrued
/// until the next check (at the job's current burn rate) still fits.
public enum SpendGuard {
    /// What a job has spent and is spending.
    public struct Account: Sendable, Equatable {
        public var spent: Money
        /// The sum of the prices of its live nodes.
        public var burnPerHour: Money
        public var budget: Money?

        public init(spent: Money, burnPerHour: Money, budget: Money?) {
            self.spent = spent
            self.burnPerHour = burnPerHour
            self.budget = budget
        }

        /// What will have been spent after `horizon` more at the current rate.
        func projected(over horizon: Duration) -> Money {
            spent + burnPerHour.cost(forSeconds: Int64(horizon.timeInterval.rounded(.up)))
        }
    }

    /// Nil when the job may continue; otherwise why it must stop now.
    public static func stopReason(job: Account, team: Account, teamName: String, horizon: Duration) -> String? {
        if let budget = job.budget, job.projected(over: horizon) > budget {
            return "stopped before exceeding its budget: spent \(job.spent.formatted()) of \(budget.formatted())"
                + " at \(job.burnPerHour.formatted())/h"
        }
        if let budget = team.budget, team.projected(over: horizon) > budget {
            return "stopped before team \(teamName) exceeds its budget: the team spent \(team.spent.formatted())"
                + " of \(budget.formatted()) at \(team.burnPerHour.formatted())/h"
        }
        return nil
    }

    /// What a node running at `price` from `start` to `end` costs (nothing before it started).
    public static func accrued(price: Money, from start: Date?, to end: Date) -> Money {
        guard let start, end > start else { return .zero }
        return price.cost(forSeconds: Int64(end.timeIntervalSince(start).rounded(.down)))
    }
}
