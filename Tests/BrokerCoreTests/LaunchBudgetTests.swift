import BrokerCore
import Testing

@Suite("A launch fits a team's budget only with its spend and every node it holds billing over the horizon")
struct LaunchBudgetTests {
    private let hour = LaunchBudget(horizon: .seconds(3600))

    private func team(spent: Double, burn: Double, budget: Double?) -> SpendGuard.Account {
        SpendGuard.Account(
            spent: Money(dollars: spent)!, burnPerHour: Money(dollars: burn)!,
            budget: budget.map { Money(dollars: $0)! })
    }

    @Test func aLaunchThatFitsExactlyIsAdmittedAndOneDollarMoreIsNot() {
        #expect(
            hour.refusal(
                team: team(spent: 40, burn: 30, budget: 100), teamName: "vision", launchingPerHour: Money(dollars: 30)!)
                == nil)
        let reason = hour.refusal(
            team: team(spent: 40, burn: 30, budget: 100), teamName: "vision", launchingPerHour: Money(dollars: 31)!)
        #expect(
            reason
                == "team vision has no room in its budget for $31.00/h more: it spent $40.00 of $100.00, its nodes cost"
                + " $30.00/h, and with these it would reach $101.00 within 3600 s")
    }

    @Test func theHorizonScalesWhatTheNodesWillCost() {
        let quarter = LaunchBudget(horizon: .seconds(900))
        #expect(
            quarter.refusal(
                team: team(spent: 40, burn: 30, budget: 100), teamName: "vision", launchingPerHour: Money(dollars: 200)!
            ) == nil)
        #expect(
            quarter.refusal(
                team: team(spent: 40, burn: 30, budget: 100), teamName: "vision", launchingPerHour: Money(dollars: 211)!
            ) != nil)
    }

    @Test func aTeamWithoutABudgetIsNeverRefused() {
        #expect(
            hour.refusal(
                team: team(spent: 1_000, burn: 500, budget: nil), teamName: "vision",
                launchingPerHour: Money(dollars: 1_000)!) == nil)
    }
}
