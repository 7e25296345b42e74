import BrokerCore
import Foundation
import Hummingbird
import Store
import Testing

@testable import BrokerHTTP

@Suite("Admin API: teams, tokens, every team's jobs, nodes")
struct AdminRoutesTests {
    private let api: APIHarness
    private let admin: String

    init() async throws {
        api = try await APIHarness()
        admin = try await api.token()
    }

    @Test("teams are created with a budget, listed, re-budgeted; bad input names the field")
    func teams() async throws {
        let created = try await api.call(
            .post, "/v1/admin/teams", token: admin, body: #"{"name": "vision", "budget_usd": 500.5}"#)
        #expect(created.status == .created)
        let id = try #require(created.json["id"] as? String)
        #expect(created.json["budget_usd"] as? Double == 500.5)
        let duplicate = try await api.call(.post, "/v1/admin/teams", token: admin, body: #"{"name": "vision"}"#)
        #expect(duplicate.status == .conflict)
        let bad = try await api.call(.post, "/v1/admin/teams", token: admin, body: #"{"budget_usd": -1, "nme": "x"}"#)
        #expect(bad.status == .badRequest)
        #expect(bad.text.contains(#""field":"name""#) && bad.text.contains(#""field":"budget_usd""#))
        #expect(bad.text.contains(#""field":"nme""#))
        let notANumber = try await api.call(
            .post, "/v1/admin/teams", token: admin, body: #"{"name": "x", "budget_usd": true}"#)
        #expect(notANumber.status == .badRequest && notANumber.text.contains(#""field":"budget_usd""#))
        // One character on screen, 201 code points: names are measured as JSON Schema's maxLength is.
        let accents = String(repeating: "\\u0301", count: 200)
        let long = try await api.call(.post, "/v1/admin/teams", token: admin, body: #"{"name": "e\#(accents)"}"#)
        #expect(long.status == .badRequest && long.text.contains(#""field":"name""#))
        // A NUL (schemathesis found it: SQLite's length() stops there, so the insert failed with a
        // 500) or a terminal escape is no name.
        for name in [#"\u0000vision"#, #"red\u001b[31m"#] {
            let control = try await api.call(.post, "/v1/admin/teams", token: admin, body: #"{"name": "\#(name)"}"#)
            #expect(control.status == .badRequest && control.text.contains("control characters"), "\(name)")
        }
        let list = try await api.call(.get, "/v1/admin/teams", token: admin)
        #expect(["default", "team_a", "team_b", "vision"].allSatisfy { list.text.contains(#""name":"\#($0)""#) })
        let budget = try await api.call(
            .put, "/v1/admin/teams/\(id)/budget", token: admin, body: #"{"budget_usd": 20}"#)
        #expect(budget.json["budget_usd"] as? Double == 20)
        let none = try await api.call(
            .put, "/v1/admin/teams/\(id)/budget", token: admin, body: #"{"budget_usd": null}"#)
        #expect(none.status == .ok && none.text.contains(#""budget_usd":null"#))
        #expect(
            try await api.call(.put, "/v1/admin/teams/\(id)/budget", token: admin, body: "{}").status == .badRequest)
        let missing = try await api.call(
            .put, "/v1/admin/teams/team_zz/budget", token: admin, body: #"{"budget_usd": 1}"#)
        #expect(missing.status == .notFound)
    }

    @Test("tokens are issued for a team (which must exist), listed without secrets, revoked")
    func tokens() async throws {
        let noTeam = try await api.call(.post, "/v1/admin/tokens", token: admin, body: #"{"name": "ci"}"#)
        #expect(noTeam.status == .badRequest && noTeam.text.contains(#""field":"team""#))
        let adminWithTeam = try await api.call(
            .post, "/v1/admin/tokens", token: admin, body: #"{"name": "x", "role": "admin", "team": "team_a"}"#)
        #expect(adminWithTeam.status == .badRequest)
        let unknownTeam = try await api.call(
            .post, "/v1/admin/tokens", token: admin, body: #"{"name": "ci", "team": "team_zz"}"#)
        #expect(unknownTeam.status == .notFound)
        let issued = try await api.call(
            .post, "/v1/admin/tokens", token: admin, body: #"{"name": "ci", "team": "team_a"}"#)
        #expect(issued.status == .created && issued.json["role"] as? String == "member")
        let id = try #require(issued.json["id"] as? String)
        let secondAdmin = try await api.call(
            .post, "/v1/admin/tokens", token: admin, body: #"{"name": "ops", "role": "admin"}"#)
        #expect(secondAdmin.status == .created && secondAdmin.text.contains(#""team":null"#))
        let list = try await api.call(.get, "/v1/admin/tokens?team=team_a", token: admin)
        #expect(list.text.contains(id) && !list.text.contains("ops") && !list.text.contains("token\""))
        let revoked = try await api.call(.post, "/v1/admin/tokens/\(id)/revoke", token: admin)
        #expect(revoked.json["revoked_at"] as? String == "2026-11-18T11:06:40Z")
        #expect(try await api.call(.post, "/v1/admin/tokens/tok_nope/revoke", token: admin).status == .notFound)
    }

    @Test("an admin lists every team's jobs and cancels any of them")
    func jobs() async throws {
        let job = try await api.submit(token: try await api.token(team: "team_b"))
        let list = try await api.call(.get, "/v1/admin/jobs?state=queued", token: admin)
        #expect(list.text.contains(job) && list.text.contains(#""team":"team_b""#))
        let cancelled = try await api.call(.post, "/v1/admin/jobs/\(job)/cancel", token: admin)
        #expect(cancelled.json["state"] as? String == "cancelled")
        #expect(try await api.call(.post, "/v1/admin/jobs/\(job)/cancel", token: admin).status == .conflict)
    }

    @Test("terminating a running node sends it to terminating and its job to migrating; again is a 409")
    func nodes() async throws {
        let nodes = SQLiteNodeRepository(database: api.database)
        let job = try await api.submit(token: try await api.token(team: "team_a"))
        let offer = Offer(
            id: OfferID(provider: "vast", native: "1"), gpu: GPUName(resolving: "H100 SXM"), gpuCount: 8,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 1, memoryGB: 1, diskGB: 1, region: "r", country: "US",
            market: .spot, pricePerHour: Money(dollars: 8)!, available: 1, reliability: nil,
            firstSeenAt: APIHarness.start, lastSeenAt: APIHarness.start, raw: nil)
        let node = NodeRecord(id: "node_1", jobID: job, rank: 0, offer: offer, requestedAt: APIHarness.start)
        _ = try await nodes.beginProvisioning(job: job, nodes: [node], at: APIHarness.start)
        _ = try await nodes.recordLaunch(
            node: node.id, nativeInstanceID: "7", launchedAt: APIHarness.start, at: APIHarness.start)
        _ = try await nodes.apply(.start, toNode: node.id, reason: nil, at: APIHarness.start)
        #expect(try await nodes.start(job: job, ifRunning: [node.id], shards: [:], at: APIHarness.start))

        let list = try await api.call(.get, "/v1/admin/nodes?state=running", token: admin)
        #expect(list.text.contains(#""job_id":"\#(job)""#) && list.text.contains(#""id":"node_1""#))
        #expect(try await api.call(.get, "/v1/admin/nodes?state=gone", token: admin).status == .badRequest)
        let terminated = try await api.call(.post, "/v1/admin/nodes/node_1/terminate", token: admin)
        #expect(terminated.status == .ok && terminated.json["state"] as? String == "terminating")
        #expect(api.signals.value.load(ordering: .relaxed) == 2)
        let shown = try await api.call(.get, "/v1/jobs/\(job)", token: admin)
        #expect(shown.json["state"] as? String == "migrating")
        #expect(try await api.call(.post, "/v1/admin/nodes/node_1/terminate", token: admin).status == .conflict)
        #expect(try await api.call(.post, "/v1/admin/nodes/node_x/terminate", token: admin).status == .notFound)
    }
}
