import BrokerCore
import Foundation
import Hummingbird
import Store
import Testing

@testable import BrokerHTTP

@Suite("Owner machines register with a join token and stay in the market while they heartbeat")
struct HostRoutesTests {
    private let api: APIHarness
    private let admin: String
    private let joinToken: String

    init() async throws {
        api = try await APIHarness()
        admin = try await api.token()
        _ = try await api.call(
            .post, "/v1/admin/pools", token: admin,
            body:
                #"{"id": "campus", "name": "Campus", "country": "DE", "region": "berlin-1", "market": "spot", "#
                + #""price_per_gpu_hour": 1.10, "gpu_prices": {"A100-80GB": 0.90}}"#)
        let issued = try await api.call(
            .post, "/v1/admin/pools/campus/join-tokens", token: admin, body: #"{"name": "rack"}"#)
        joinToken = try #require(issued.json["token"] as? String)
    }

    private func register(_ body: String, token: String? = nil) async throws -> APIHarness.Reply {
        try await api.call(.post, "/v1/hosts/register", token: token ?? joinToken, body: body)
    }

    private func offers() async throws -> String {
        try await api.dependencies.machines.refreshOffers()
        return try await api.call(.get, "/v1/offers?provider=campus", token: admin).text
    }

    @Test("a machine that registers is offered as <pool>:<machine> at the pool's price, until it falls silent")
    func registerAndExpire() async throws {
        let registered = try await register(#"{"name": "rack-1", "gpu": "A100-80GB", "gpus": 8}"#)
        #expect(registered.status == .created)
        #expect(registered.json["offer"] as? String == "campus:rack-1")
        let machineToken = try #require(registered.json["token"] as? String)
        #expect(machineToken.hasPrefix("gbm_"))
        let listed = try await offers()
        #expect(listed.contains(#""id":"campus:rack-1""#))
        #expect(listed.contains(#""price_per_hour":7.2"#), "8 GPUs at the pool's A100-80GB price, 0.90")
        #expect(listed.contains(#""market":"spot""#) && listed.contains(#""country":"DE""#))

        api.clock.advance(by: 20)
        let beat = try await api.call(.post, "/v1/hosts/heartbeat", token: machineToken)
        #expect(beat.status == .ok && beat.json["heartbeat_interval_s"] as? Int == 10)
        api.clock.advance(by: 25)
        #expect(try await offers().contains("campus:rack-1"), "heard from 25 s ago, within the 30 s timeout")
        api.clock.advance(by: 10)
        #expect(!(try await offers().contains("campus:rack-1")), "silent for 35 s: withdrawn")
        _ = try await api.call(.post, "/v1/hosts/heartbeat", token: machineToken)
        #expect(try await offers().contains("campus:rack-1"), "back once it heartbeats")
    }

    @Test("absurd counts, unknown models and names with control characters are a 400 naming the field")
    func badRegistrations() async throws {
        let bad = try await register(
            #"{"name": "Rack\u0007", "gpu": "Z9000", "gpus": 4096, "gpu_memory_gb": -1, "extra": 1}"#)
        #expect(bad.status == .badRequest)
        for field in ["name", "gpu", "gpus", "gpu_memory_gb", "extra"] {
            #expect(bad.text.contains(#""field":"\#(field)""#), "\(field)")
        }
        let missing = try await register("{}")
        for field in ["name", "gpu", "gpus"] { #expect(missing.text.contains(#""field":"\#(field)""#), "\(field)") }
        let uppercase = try await register(#"{"name": "Rack-1", "gpu": "A100-80GB", "gpus": 1}"#)
        #expect(uppercase.status == .badRequest && uppercase.text.contains("a-z"))
    }

    @Test("tokens open only their own door: a join token registers, a machine token heartbeats, neither reads the API")
    func tokenScopes() async throws {
        let registered = try await register(#"{"name": "rack-1", "gpu": "L4", "gpus": 1}"#)
        let machineToken = try #require(registered.json["token"] as? String)
        #expect(try await api.call(.post, "/v1/hosts/heartbeat", token: joinToken).status == .unauthorized)
        #expect(
            try await register(#"{"name": "rack-2", "gpu": "L4", "gpus": 1}"#, token: machineToken).status
                == .unauthorized)
        for token in [joinToken, machineToken] {
            #expect(try await api.call(.get, "/v1/offers", token: token).status == .unauthorized)
            #expect(try await api.call(.post, "/v1/agent/heartbeat", token: token, body: "{}").status == .unauthorized)
        }
        let member = try await api.token(team: "team_a")
        #expect(
            try await register(#"{"name": "rack-3", "gpu": "L4", "gpus": 1}"#, token: member).status == .unauthorized)
        #expect(!api.log.text.contains(machineToken) && !api.log.text.contains(joinToken))
    }

    @Test("registering again replaces the machine's token; revoking the join token or disabling the pool takes it out")
    func revocation() async throws {
        let first = try #require(
            try await register(#"{"name": "rack-1", "gpu": "L4", "gpus": 2}"#).json["token"] as? String)
        let second = try await register(#"{"name": "rack-1", "gpu": "L4", "gpus": 4}"#)
        let token = try #require(second.json["token"] as? String)
        #expect(try await api.call(.post, "/v1/hosts/heartbeat", token: first).status == .unauthorized)
        #expect(try await api.call(.post, "/v1/hosts/heartbeat", token: token).status == .ok)
        #expect(try await offers().contains(#""gpu_count":4"#))

        _ = try await api.call(.post, "/v1/admin/pools/campus/disable", token: admin)
        #expect(!(try await offers().contains("campus:rack-1")))
        _ = try await api.call(.post, "/v1/admin/pools/campus/enable", token: admin)
        #expect(try await offers().contains("campus:rack-1"))

        let tokens = try await api.call(.get, "/v1/admin/pools/campus/join-tokens", token: admin)
        let joinID = try #require(((tokens.json["tokens"] as? [[String: Any]])?.first)?["id"] as? String)
        _ = try await api.call(.post, "/v1/admin/join-tokens/\(joinID)/revoke", token: admin)
        #expect(try await api.call(.post, "/v1/hosts/heartbeat", token: token).status == .unauthorized)
        #expect(try await register(#"{"name": "rack-9", "gpu": "L4", "gpus": 1}"#).status == .unauthorized)
        #expect(!(try await offers().contains("campus:rack-1")), "its join token revoked: out of the market")
    }
}
