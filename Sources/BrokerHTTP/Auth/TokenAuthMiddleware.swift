import Broker
import BrokerConsole
import BrokerCore
import Hummingbird
import Store

/// Authenticates every request by its `Authorization: Bearer <token>` before any route runs:
/// no, unknown or revoked token is a 401 that never says which; a member token on
/// `/v1/admin/...` is a 403; a token over its request rate is a 429 with `Retry-After`. The routes in ``isPublic(_:)`` pass without a token (the agent and
/// webhook endpoints check their own credentials, the web console its session cookie).
///
/// One API route also takes the console's session cookie instead of a token: `GET
/// /v1/jobs/{id}/logs`, which the job page's script follows. The session acts for the token that
/// logged in, with the same rules; no other route, and no other method, reads the cookie.
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = BrokerRequestContext

    let authenticator: TokenAuthenticator
    let clock: any BrokerClock
    let rateLimiter: RequestRateLimiter
    let sessions: ConsoleSessions

    static let unauthorized = ProblemDetails(
        status: .unauthorized, detail: "a valid API token is required: Authorization: Bearer <token>")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        // Split once: which routes are open, the admin API and the cookie route are all told by it.
        let parts = Self.components(path)
        if Self.isPublic(parts) { return try await next(request, context) }
        guard let token = try await credential(of: request, at: parts) else {
            // Which of missing, unknown or revoked it was stays unsaid, here too.
            context.logger.debug("request without a valid API token refused", metadata: ["path": "\(path)"])
            AuthFailures.record(.apiToken)
            throw Self.unauthorized
        }
        let identity = Identity(token)
        var context = context
        context.identity = identity
        context.logger[metadataKey: "token_id"] = "\(identity.tokenID)"
        if Self.isAdmin(parts), !identity.isAdmin {
            context.logger.debug("member token refused on the admin API", metadata: ["path": "\(path)"])
            throw ProblemDetails(status: .forbidden, detail: "this route needs an admin token")
        }
        if let wait = rateLimiter.admit(identity.tokenID, at: clock.now) {
            context.logger.debug("token over its request rate", metadata: ["retry_after_s": "\(wait)"])
            var problem = ProblemDetails(
                status: .tooManyRequests, detail: "this token is over its request rate; retry in \(wait) s")
            problem.retryAfterSeconds = wait
            throw problem
        }
        context.logger.trace("request authenticated", metadata: ["role": "\(identity.role.rawValue)"])
        return try await next(request, context)
    }

    /// The token the request's `Authorization` header carries or, on the one route that takes it,
    /// the token its console session acts for; nil when neither is valid.
    private func credential(of request: Request, at parts: [Substring]) async throws -> APITokenRecord? {
        if let presented = BearerToken.from(request) {
            return try await authenticator.authenticate(presented)
        }
        guard request.method == .get, Self.takesSessionCookie(parts),
            let secret = request.cookies[ConsolePaths.sessionCookie]?.value
        else { return nil }
        return try await sessions.authenticate(secret: secret)?.token
    }

    /// `GET /v1/jobs/{id}/logs`: the job page's live logs.
    static func takesSessionCookie(_ parts: [Substring]) -> Bool {
        return parts.count == 4 && parts[0] == "v1" && parts[1] == "jobs" && parts[3] == "logs"
    }

    /// Health, readiness, metrics and the API description are open; the agent endpoints (node
    /// token), the owner machines' endpoints (join and machine tokens), provider webhooks
    /// (signatures) and the web console (session cookie) authenticate themselves. Paths are compared by
    /// component, as the router matches them (`//v1/admin` is the admin API too).
    static func isPublic(_ parts: [Substring]) -> Bool {
        switch parts.count {
        case 1 where openRoots.contains(where: { parts[0] == $0 }): return true
        case 3 where parts[0] == "v1" && selfAuthenticating.contains(where: { parts[1] == $0 }): return true
        default: return ConsolePaths.isConsole(components: parts)
        }
    }

    /// Compared with `where` rather than `contains(_:)`, which would build an array of substrings
    /// at every request.
    private static let openRoots = ["healthz", "readyz", "metrics", "openapi.yaml"]
    private static let selfAuthenticating = ["webhooks", "agent", "hosts"]

    static func isAdmin(_ parts: [Substring]) -> Bool {
        return parts.count >= 2 && parts[0] == "v1" && parts[1] == "admin"
    }

    private static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
