import BrokerCore
import Foundation

extension SpendGuard.Account {
    /// A team's account at `now` for ``BrokerCore/LaunchBudget``: its spend as ``UsageReport``
    /// counts it, and the price of every live node of its `jobs` (`nodes`: at least those launched
    /// and those live) as its burn.
    init(team: TeamRecord, jobs: [JobRecord], nodes: [NodeRecord], at now: Date) {
        let report = UsageReport(
            team: team, jobs: jobs, launchedNodes: nodes.filter { $0.launchedAt != nil }, at: now)
        self.init(
            spent: report.spend,
            burnPerHour: nodes.filter(\.state.isLive).reduce(.zero) { $0 + $1.pricePerHour },
            budget: team.budget)
    }
}

extension LaunchBudget {
    /// Throws ``StoreError/overBudget(_:)`` unless `team` has room for `launching`, given its
    /// `jobs` and their `nodes` (at least those launched and those live) as a store read them
    /// with the team locked.
    public func admit(
        _ launching: [NodeRecord], team: TeamRecord, jobs: [JobRecord], nodes: [NodeRecord], at now: Date
    ) throws {
        let account = SpendGuard.Account(team: team, jobs: jobs, nodes: nodes, at: now)
        let adding = launching.reduce(Money.zero) { $0 + $1.pricePerHour }
        if let reason = refusal(team: account, teamName: team.name, launchingPerHour: adding) {
            throw StoreError.overBudget(reason)
        }
    }
}
