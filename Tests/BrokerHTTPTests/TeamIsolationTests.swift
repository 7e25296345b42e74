import Foundation
import Hummingbird
import Testing

@testable import BrokerHTTP

@Suite("Team isolation: a member token sees, changes and learns nothing of another team")
struct TeamIsolationTests {
    private let api: APIHarness

    init() async throws {
        api = try await APIHarness()
    }

    @Test("another team's job is a 404 exactly like a missing one, for show, timeline and cancel")
    func otherTeamsJobIsNotFound() async throws {
        let alice = try await api.token(team: "team_a")
        let bob = try await api.token(team: "team_b")
        let job = try await api.submit(token: bob)
        for (method, suffix) in [(HTTPRequest.Method.get, ""), (.get, "/events"), (.post, "/cancel")] {
            let theirs = try await api.call(method, "/v1/jobs/\(job)\(suffix)", token: alice)
            let missing = try await api.call(method, "/v1/jobs/job_nope\(suffix)", token: alice)
            #expect(theirs.status == .notFound && missing.status == .notFound)
            #expect(theirs.text == missing.text.replacingOccurrences(of: "job_nope", with: job))
        }
        let still = try await api.call(.get, "/v1/jobs/\(job)", token: bob)
        #expect(still.json["state"] as? String == "queued")
    }

    @Test("lists and usage show only the token's team; naming another team is a 404")
    func listsAndUsageAreTheTeams() async throws {
        let alice = try await api.token(team: "team_a")
        let bob = try await api.token(team: "team_b")
        let mine = try await api.submit(token: alice)
        let theirs = try await api.submit(token: bob)
        let list = try await api.call(.get, "/v1/jobs", token: alice)
        #expect(list.text.contains(mine) && !list.text.contains(theirs))
        #expect(list.text.contains(#""team":"team_a""#) && !list.text.contains("team_b"))
        let usage = try await api.call(.get, "/v1/usage", token: alice)
        #expect(usage.json["team"] as? String == "team_a")
        #expect(usage.text.contains(mine) && !usage.text.contains(theirs))
        #expect(try await api.call(.get, "/v1/jobs?team=team_b", token: alice).status == .notFound)
        #expect(try await api.call(.get, "/v1/usage?team=team_b", token: alice).status == .notFound)
        #expect(
            try await api.call(.post, "/v1/jobs?team=team_b", token: alice, body: APIHarness.spec).status == .notFound)
        #expect(try await api.call(.get, "/v1/jobs?team=team_a", token: alice).status == .ok)
    }

    @Test("an admin token sees every team's jobs, narrows with ?team=, and submits for a named team")
    func adminSeesEveryTeam() async throws {
        let admin = try await api.token()
        let alices = try await api.submit(token: try await api.token(team: "team_a"))
        let bobs = try await api.submit(token: admin, query: "?team=team_b")
        let defaults = try await api.submit(token: admin)
        let all = try await api.call(.get, "/v1/jobs", token: admin)
        #expect([alices, bobs, defaults].allSatisfy { all.text.contains($0) })
        let onlyB = try await api.call(.get, "/v1/admin/jobs?team=team_b", token: admin)
        #expect(onlyB.text.contains(bobs) && !onlyB.text.contains(alices) && !onlyB.text.contains(defaults))
        #expect(try await api.call(.get, "/v1/jobs/\(alices)", token: admin).status == .ok)
        let usage = try await api.call(.get, "/v1/usage?team=team_b", token: admin)
        #expect(usage.json["team"] as? String == "team_b")
        #expect(
            try await api.call(.post, "/v1/jobs?team=team_zz", token: admin, body: APIHarness.spec).status == .notFound)
    }
}
