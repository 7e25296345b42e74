/// Whether a team may ask for more nodes: what it has spent, with every node it holds or has
/// asked for and the new ones billing for ``horizon``, must stay within its budget. The
/// accountant stops a team's jobs once their spend projected over the same horizon passes the
/// budget, so a launch beyond it would pay for a boot and be stopped.
///
/// The store applies it in the transaction that records the intent, so two launches at once
/// (two replicas, two jobs of one team) cannot both take the budget's last room.
public struct LaunchBudget: Sendable, Equatable {
    public var horizon: Duration

    public init(horizon: Duration) {
        self.horizon = horizon
    }

    /// Nil when the launch fits; otherwise why it must wait. `team.burnPerHour` is what the team's
    /// live nodes (launched or only asked for) cost together per hour.
    public func refusal(team: SpendGuard.Account, teamName: String, launchingPerHour: Money) -> String? {
        guard let budget = team.budget else { return nil }
        var after = team
        after.burnPerHour = team.burnPerHour + launchingPerHour
        let projected = after.projected(over: horizon)
        guard projected > budget else { return nil }
        return "team \(teamName) has no room in its budget for \(launchingPerHour.formatted())/h more: it spent"
            + " \(team.spent.formatted()) of \(budget.formatted()), its nodes cost \(team.burnPerHour.formatted())/h,"
            + " and with these it would reach \(projected.formatted()) within \(horizon.components.seconds) s"
    }
}
