import Broker
import BrokerCore
import Hummingbird
import Store

/// `/console/spend`: the user's team's spend (an admin's: the default team's, or `?team=`).
struct SpendPageRoutes<Context: ConsoleRequestContext> {
    let jobs: JobQueries
    let clock: any BrokerClock

    func register(on router: Router<Context>) {
        router.get("console/spend") { request, context in
            let user = try context.requireUser()
            let requested = FormFields(request.uri.query ?? "")["team"]
            let team = user.isAdmin ? requested ?? user.actingTeam : user.actingTeam
            let now = clock.now
            let report = try await jobs.usage(team: team)
            var teamNodes: [NodeRecord] = []
            for job in report.jobs { teamNodes += try await jobs.nodes(ofJob: job.id) }
            return ConsoleResponse.page(
                "Spend", user: user, current: "/console/spend",
                SpendPage.render(report, days: SpendByDay.days(of: teamNodes, now: now)))
        }
    }
}
