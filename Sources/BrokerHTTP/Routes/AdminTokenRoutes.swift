import Broker
import BrokerCore
import Hummingbird
import Store

/// Operators' API tokens: issue (the only answer that carries a token), list, show, revoke.
struct AdminTokenRoutes {
    let tokens: APITokens

    func register(on router: some RouterMethods<some RequestContext>) {
        let group = router.group("v1/admin/tokens")
        group.get { request, _ in
            var query = QueryReader(request)
            let team = query.string("team")
            try query.finish()
            return JSONResponse(TokenListResponse(tokens: try await tokens.list(team: team).map(TokenResponse.init)))
        }
        group.post { request, _ in
            var body = try await BodyReader.read(request)
            let name = body.string("name", required: true)
            let role = body.choice("role", as: TokenRole.self) ?? .member
            let team = body.string("team")
            if role == .member, team == nil { body.report("team", "is required for a member token") }
            if role == .admin, team != nil {
                body.report("team", "must be absent for an admin token (it sees every team)")
            }
            try body.finish()
            let issued = try await tokens.issue(name: name ?? "", role: role, team: team)
            return JSONResponse(
                IssuedTokenResponse(token: issued.token, info: TokenResponse(issued.record)), status: .created)
        }
        group.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let token = try await tokens.token(id: id) else {
                throw ProblemDetails(status: .notFound, detail: "token \(id) not found")
            }
            return JSONResponse(TokenResponse(token))
        }
        group.post(":id/revoke") { _, context in
            JSONResponse(TokenResponse(try await tokens.revoke(id: context.parameters.require("id"))))
        }
    }
}
