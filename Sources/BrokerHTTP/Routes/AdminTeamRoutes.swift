import Broker
import BrokerCore
import Hummingbird

/// Operators' teams: create, list, show, set the budget.
struct AdminTeamRoutes {
    let teams: Teams

    func register(on router: some RouterMethods<some RequestContext>) {
        let group = router.group("v1/admin/teams")
        group.get { _, _ in JSONResponse(TeamListResponse(teams: try await teams.list().map(TeamResponse.init))) }
        group.post { request, _ in
            var body = try await BodyReader.read(request)
            let name = body.string("name", required: true)
            let budget = body.dollars("budget_usd")
            try body.finish()
            let team = try await teams.create(name: name ?? "", budget: budget)
            return JSONResponse(TeamResponse(team), status: .created)
        }
        group.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let team = try await teams.team(id: id) else {
                throw ProblemDetails(status: .notFound, detail: "team \(id) not found")
            }
            return JSONResponse(TeamResponse(team))
        }
        group.put(":id/budget") { request, context in
            var body = try await BodyReader.read(request)
            if !body.has("budget_usd") { body.report("budget_usd", "is required (null removes the budget)") }
            let budget = body.dollars("budget_usd")
            try body.finish()
            return JSONResponse(TeamResponse(try await teams.setBudget(budget, team: context.parameters.require("id"))))
        }
    }
}
