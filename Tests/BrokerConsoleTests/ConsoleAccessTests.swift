import Broker
import Foundation
import Hummingbird
import Testing

@Suite("Console access: sessions, CSRF and team isolation")
struct ConsoleAccessTests {
    private let console: ConsoleHarness

    init() async throws {
        console = try await ConsoleHarness()
    }

    @Test("pages need a session: without one, or with a bad one, they redirect to the login page")
    func pagesNeedASession() async throws {
        for path in ["/console/market", "/console/jobs", "/console/jobs/job_x", "/console/quote", "/console/spend"] {
            for session in [nil, "forged"] {
                let reply = try await console.call(.get, path, session: session)
                #expect(reply.status == .seeOther, "\(path)")
                #expect(reply.headers[.location] == "/login")
            }
        }
        #expect(try await console.call(.get, "/login").status == .ok)
        #expect(try await console.call(.get, "/assets/console.js").status == .ok)
    }

    @Test("logging in sets an HttpOnly, SameSite=Strict cookie; the token never shows in a page")
    func loginSetsASafeCookie() async throws {
        let issued = try await console.token(team: "team_a")
        let reply = try await console.call(.post, "/login", form: "token=\(issued.token)")
        #expect(reply.status == .seeOther)
        let cookie = try #require(reply.headers[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let session = try #require(ConsoleHarness.cookieValue(cookie))
        for path in ["/console/market", "/console/jobs", "/console/quote", "/console/spend"] {
            let page = try await console.call(.get, path, session: session)
            #expect(page.status == .ok, "\(path)")
            #expect(!page.text.contains(issued.token) && !page.text.contains(session))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
        }
        let wrong = try await console.call(.post, "/login", form: "token=gbt_wrong")
        #expect(wrong.status == .unauthorized && wrong.headers[.setCookie] == nil)
    }

    @Test("a member's page of another team's job is a 404, like a missing job; their own is shown")
    func otherTeamsJobIsNotFound() async throws {
        let alice = try await console.token(team: "team_a")
        let bob = try await console.token(team: "team_b")
        let bobs = try await console.submit(bearer: bob.token)
        let session = try await console.logIn(alice.token)
        let theirs = try await console.call(.get, "/console/jobs/\(bobs)", session: session)
        let missing = try await console.call(.get, "/console/jobs/job_nope", session: session)
        #expect(theirs.status == .notFound && missing.status == .notFound)
        #expect(!theirs.text.contains("lora"))
        let list = try await console.call(.get, "/console/jobs", session: session)
        #expect(!list.text.contains(bobs))
        // Their job's logs through the session cookie are a 404 too; the owner's session reads them.
        #expect(try await console.call(.get, "/v1/jobs/\(bobs)/logs", session: session).status == .notFound)
        let bobSession = try await console.logIn(bob.token)
        #expect(try await console.call(.get, "/console/jobs/\(bobs)", session: bobSession).status == .ok)
        #expect(try await console.call(.get, "/v1/jobs/\(bobs)/logs", session: bobSession).status == .ok)
        // The cookie opens no other API route.
        #expect(try await console.call(.get, "/v1/jobs/\(bobs)", session: bobSession).status == .unauthorized)
    }

    @Test("a POST without the session's CSRF token is refused with a 403 and changes nothing")
    func postsNeedTheCSRFToken() async throws {
        let alice = try await console.token(team: "team_a")
        let job = try await console.submit(bearer: alice.token)
        let session = try await console.logIn(alice.token)
        let page = try await console.call(.get, "/console/jobs/\(job)", session: session)
        let csrf = try #require(ConsoleHarness.csrf(in: page.text))
        for form in ["", "csrf=wrong"] {
            let refused = try await console.call(.post, "/console/jobs/\(job)/cancel", session: session, form: form)
            #expect(refused.status == .forbidden)
        }
        #expect(try await console.call(.post, "/logout", session: session, form: "").status == .forbidden)
        let still = try await console.call(.get, "/console/jobs/\(job)", session: session)
        #expect(still.text.contains(#"id="job-state">queued"#))
        let cancelled = try await console.call(
            .post, "/console/jobs/\(job)/cancel", session: session, form: "csrf=\(csrf)")
        #expect(cancelled.status == .seeOther)
        let after = try await console.call(.get, "/console/jobs/\(job)", session: session)
        #expect(after.text.contains(#"id="job-state">cancelled"#))
    }

    @Test("a session ends at log-out and when its API token is revoked")
    func sessionsEnd() async throws {
        let alice = try await console.token(team: "team_a")
        let session = try await console.logIn(alice.token)
        let page = try await console.call(.get, "/console/jobs", session: session)
        let csrf = try #require(ConsoleHarness.csrf(in: page.text))
        let out = try await console.call(.post, "/logout", session: session, form: "csrf=\(csrf)")
        #expect(out.status == .seeOther && out.headers[.location] == "/login")
        #expect(try await console.call(.get, "/console/jobs", session: session).status == .seeOther)

        let again = try await console.logIn(alice.token)
        #expect(try await console.call(.get, "/console/jobs", session: again).status == .ok)
        _ = try await console.dependencies.tokens.revoke(id: alice.record.id, at: ConsoleHarness.start)
        #expect(try await console.call(.get, "/console/jobs", session: again).status == .seeOther)
    }

    @Test("a session expires after its lifetime, by the injected clock")
    func sessionsExpire() async throws {
        let session = try await console.logIn(try await console.token(team: "team_a").token)
        console.clock.advance(by: ConsoleSessions.lifetime - 1)
        #expect(try await console.call(.get, "/console/jobs", session: session).status == .ok)
        console.clock.advance(by: 1)
        #expect(try await console.call(.get, "/console/jobs", session: session).status == .seeOther)
    }

    @Test("the admin page is for admin tokens; a bad spec on the quote page shows the parser's error")
    func adminAndQuote() async throws {
        let member = try await console.logIn(try await console.token(team: "team_a").token)
        #expect(try await console.call(.get, "/console/admin", session: member).status == .forbidden)
        let admin = try await console.logIn(try await console.token().token)
        #expect(try await console.call(.get, "/console/admin", session: admin).status == .ok)
        let page = try await console.call(.get, "/console/quote", session: member)
        let csrf = try #require(ConsoleHarness.csrf(in: page.text))
        let bad = try await console.call(
            .post, "/console/quote", session: member, form: "csrf=\(csrf)&action=quote&spec=name%3A+x%0Aresources%3A+3")
        #expect(bad.status == .badRequest)
        #expect(bad.text.contains("spec-errors") && bad.text.contains("resources"))
        let syntax = try await console.call(
            .post, "/console/quote", session: member, form: "csrf=\(csrf)&action=quote&spec=%7B%22name%22%3A")
        #expect(syntax.status == .badRequest && syntax.text.contains("spec-errors"))
    }

    @Test("a spec submitted from the quote page becomes the member's team's job")
    func submitFromQuotePage() async throws {
        let alice = try await console.token(team: "team_a")
        let session = try await console.logIn(alice.token)
        let page = try await console.call(.get, "/console/quote", session: session)
        let csrf = try #require(ConsoleHarness.csrf(in: page.text))
        let spec = "name: lora\nresources: {gpu: [H100], gpus_per_node: 8, nodes: 1}\nimage: img\ncommand: [train]"
        let encoded = try #require(spec.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let reply = try await console.call(
            .post, "/console/quote", session: session, form: "csrf=\(csrf)&action=submit&spec=\(encoded)")
        #expect(reply.status == .seeOther)
        let location = try #require(reply.headers[.location])
        #expect(location.hasPrefix("/console/jobs/job_"))
        let job = try await console.call(
            .get, "/v1/jobs/\(location.dropFirst("/console/jobs/".count))", bearer: alice.token)
        #expect(job.status == .ok && job.text.contains(#""team":"team_a""#))
    }
}
