import Broker
import Foundation
import Hummingbird
import Store

/// The console's door: every console page needs a live session (else a redirect to the login
/// page), and every POST the session's CSRF token in its form (else a 403). Console answers get a
/// Content-Security-Policy that allows only the console's own assets, and errors are pages, not
/// JSON. Other paths pass untouched.
public struct ConsoleAuthMiddleware<Context: ConsoleRequestContext>: RouterMiddleware {
    let sessions: ConsoleSessions

    public init(sessions: ConsoleSessions) {
        self.sessions = sessions
    }

    private static var referrerPolicy: HTTPFields.Element.Name { .init("Referrer-Policy")! }

    /// The largest form the console reads (a pasted job spec is the biggest).
    static var maximumFormBytes: Int { 512 * 1024 }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        guard ConsolePaths.isConsole(path) else { return try await next(request, context) }
        var response = await answer(request, context: context, next: next)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async -> Response
    {
        do {
            if ConsolePaths.isOpen(request.uri.path) { return try await next(request, context) }
            guard let secret = request.cookies[ConsolePaths.sessionCookie]?.value,
                let live = try await sessions.authenticate(secret: secret)
            else {
                return .redirect(to: ConsolePaths.login)
            }
            var context = context
            let user = ConsoleUser(live)
            context.consoleUser = user
            context.logger[metadataKey: "token_id"] = "\(user.tokenID)"
            var request = request
            if request.method == .post {
                let body = try await request.collectBody(upTo: Self.maximumFormBytes)
                let form = FormFields(String(buffer: body))
                guard let presented = form["csrf"], Self.same(presented, user.csrfToken) else {
                    context.logger.debug("console form without its session's CSRF token refused")
                    return ConsoleResponse.error(.forbidden, "This form has expired; reload the page and try again.")
                }
            }
            return try await next(request, context)
        } catch StoreError.notFound(let entity, let id) {
            return ConsoleResponse.error(.notFound, "No \(entity) \(id).")
        } catch let error as any HTTPResponseError {
            return ConsoleResponse.error(error.status, Self.message(of: error))
        } catch {
            context.logger.error(
                "unhandled error",
                metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: type(of: error)))"])
            return ConsoleResponse.error(.internalServerError, "The console failed to answer; see the daemon's log.")
        }
    }

    private static func message(of error: any HTTPResponseError) -> String {
        if let error = error as? HTTPError, let body = error.body { return body }
        return error.status.reasonPhrase
    }

    /// Compares without leaking, through timing, how much of the token matched.
    private static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
