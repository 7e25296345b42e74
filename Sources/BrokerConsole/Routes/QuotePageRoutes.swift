import Broker
import BrokerCore
import Hummingbird
import Store

/// `/console/quote`: a job spec in, the ranked placements out; or submitted as a job.
struct QuotePageRoutes<Context: ConsoleRequestContext> {
    let market: LiveMarket
    let catalog: GPUCatalog
    let clock: any BrokerClock
    let control: JobControl

    func register(on router: Router<Context>) {
        router.get("console/quote") { _, context in
            let user = try context.requireUser()
            return page(spec: "", outcome: .none, user: user)
        }
        router.post("console/quote") { request, context in
            let user = try context.requireUser()
            var request = request
            let form = FormFields(
                String(buffer: try await request.collectBody(upTo: ConsoleAuthMiddleware<Context>.maximumFormBytes)))
            let text = form.values["spec"] ?? ""
            let now = clock.now
            let input: SpecInput
            do {
                input = try SpecInput.read(text, catalog: catalog, now: now)
            } catch let problem as SpecInput.Problem {
                return page(spec: text, outcome: .problem(problem), user: user, status: .badRequest)
            }
            guard form["action"] == "submit" else {
                let quote = PlacementPlanner(catalog: catalog).quote(input.spec, book: market.current, now: now)
                return page(spec: text, outcome: .quote(quote), user: user)
            }
            do {
                let job = try await control.submit(
                    input.spec, body: input.json, team: user.actingTeam, idempotencyKey: nil)
                return Response.redirect(to: "/console/jobs/\(job.id)")
            } catch JobControl.Refusal.manifest(let message) {
                return page(
                    spec: text, outcome: .problem(.fields(["dataset.manifest: \(message)"])), user: user,
                    status: .badRequest)
            }
        }
    }

    private func page(spec: String, outcome: QuotePage.Outcome, user: ConsoleUser, status: HTTPResponse.Status = .ok)
        -> Response
    {
        ConsoleResponse.page(
            "Quote", user: user, current: "/console/quote", status: status,
            QuotePage.render(spec: spec, outcome: outcome, user: user))
    }
}
