import BrokerCore

/// A team's spend against its budget: the numbers behind the budget bar.
public struct BudgetGauge: Sendable, Equatable {
    public var spend: Money
    /// nil: the team has no budget.
    public var budget: Money?

    public init(spend: Money, budget: Money?) {
        self.spend = spend
        self.budget = budget
    }

    /// Spend over budget, 0...1 (a full bar once spent); 0 without a budget.
    public var fraction: Double {
        guard let budget, budget > .zero else { return budget == nil ? 0 : 1 }
        return min(1, Double(spend.microdollars) / Double(budget.microdollars))
    }

    public var isOver: Bool { budget.map { spend >= $0 } ?? false }

    public var label: String {
        guard let budget else { return "\(spend.formatted()) spent; no budget" }
        return "\(spend.formatted()) of \(budget.formatted()) (\(Int(fraction * 100))%)"
    }
}
