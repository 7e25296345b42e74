import Broker
import Foundation
import Hummingbird

/// Logging in and out: `GET /login` shows the form, `POST /login` trades an API token for a
/// session cookie (HttpOnly, SameSite=Strict; the token itself is never kept or shown), and
/// `POST /logout` ends the session. `/` leads to the market page.
struct LoginRoutes<Context: ConsoleRequestContext> {
    let sessions: ConsoleSessions

    func register(on router: Router<Context>) {
        router.get("/") { _, _ in Response.redirect(to: ConsolePaths.home) }
        router.get("login") { _, _ in ConsoleResponse.html(Self.form(error: nil)) }
        router.post("login") { request, context in try await logIn(request, context: context) }
        router.post("logout") { request, _ in
            if let secret = request.cookies[ConsolePaths.sessionCookie]?.value {
                try await sessions.logOut(secret: secret)
            }
            var response = Response.redirect(to: ConsolePaths.login)
            response.setCookie(Self.cookie(value: "", maxAge: 0))
            return response
        }
    }

    private func logIn(_ request: Request, context: Context) async throws -> Response {
        // A form posted from another site is refused: nobody is logged in behind their back.
        if let origin = request.headers[.origin], let host = request.head.authority,
            URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true
        {
            return ConsoleResponse.error(.forbidden, "Log in from this site's own login page.")
        }
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        guard let token = FormFields(String(buffer: body))["token"] else {
            return ConsoleResponse.html(Self.form(error: "Paste an API token to log in."), status: .badRequest)
        }
        guard let started = try await sessions.logIn(presented: token) else {
            context.logger.debug("console login with an unknown or revoked token refused")
            return ConsoleResponse.html(
                Self.form(error: "That token is unknown or revoked."), status: .unauthorized)
        }
        context.logger.info("console session started", metadata: ["session_id": "\(started.record.id)"])
        var response = Response.redirect(to: ConsolePaths.home)
        response.setCookie(Self.cookie(value: started.secret, maxAge: Int(ConsoleSessions.lifetime)))
        return response
    }

    static func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: ConsolePaths.sessionCookie, value: value, maxAge: maxAge, path: "/", httpOnly: true,
            sameSite: .strict)
    }

    static func form(error: String?) -> HTML {
        let message: HTML = error.map { "<p class=\"error\" id=\"login-error\">\($0)</p>" } ?? .empty
        return Layout.page(
            "Log in", user: nil,
            """
            \(message)
            <form method="post" action="/login" class="login">
            <label for="token">API token</label>
            <input type="password" id="token" name="token" autocomplete="off" required placeholder="gbt_…">
            <button type="submit" id="login">Log in</button>
            </form>
            <p class="hint">An operator issues tokens with <code>gridbroker admin tokens issue</code>.
            The token is exchanged for a session; it is not kept in the browser.</p>
            """)
    }
}
