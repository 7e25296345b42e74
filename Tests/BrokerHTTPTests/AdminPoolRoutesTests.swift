import BrokerCore
import Foundation
import Hummingbird
import Store
import Testing

@testable import BrokerHTTP

@Suite("Admin API: owner pools and their join tokens")
struct AdminPoolRoutesTests {
    private let api: APIHarness
    private let admin: String

    init() async throws {
        api = try await APIHarness()
        admin = try await api.token()
    }

    private let campus =
        #"{"id": "campus", "name": "Campus A100s", "country": "DE", "region": "berlin-1", "market": "spot", "#
        + #""min_notice_s": 120, "price_per_gpu_hour": 1.10, "gpu_prices": {"a100-80gb": 1.20}}"#

    @Test("a pool is created with its terms, listed, disabled and enabled, and deleted")
    func lifecycle() async throws {
        let created = try await api.call(.post, "/v1/admin/pools", token: admin, body: campus)
        #expect(created.status == .created)
        #expect(created.json["market"] as? String == "spot" && created.json["min_notice_s"] as? Int == 120)
        #expect(created.json["price_per_gpu_hour"] as? Double == 1.1)
        #expect(created.json["gpu_prices"] as? [String: Double] == ["A100-80GB": 1.2], "the catalog's spelling")
        let again = try await api.call(.post, "/v1/admin/pools", token: admin, body: campus)
        #expect(again.status == .conflict)

        let disabled = try await api.call(.post, "/v1/admin/pools/campus/disable", token: admin)
        #expect(disabled.json["enabled"] as? Bool == false)
        let provider = try await api.call(.get, "/v1/admin/providers/campus", token: admin)
        #expect(provider.json["enabled"] as? Bool == false, "the pool's provider row goes with it")
        #expect(
            try await api.call(.post, "/v1/admin/pools/campus/enable", token: admin).json["enabled"] as? Bool == true)

        let list = try await api.call(.get, "/v1/admin/pools", token: admin)
        #expect(list.text.contains(#""id":"campus""#))
        #expect(try await api.call(.delete, "/v1/admin/pools/campus", token: admin).status == .noContent)
        #expect(try await api.call(.get, "/v1/admin/pools/campus", token: admin).status == .notFound)
        #expect(try await api.call(.delete, "/v1/admin/pools/campus", token: admin).status == .notFound)
    }

    @Test("bad input is a 400 naming every bad field; a configured provider's id is taken")
    func badInput() async throws {
        let bad = try await api.call(
            .post, "/v1/admin/pools", token: admin,
            body:
                #"{"id": "Campus!", "name": "x", "country": "de", "region": "r", "market": "sometimes", "#
                + #""min_notice_s": -1, "price_per_gpu_hour": -2, "gpu_prices": {"Z9000": 1, "L4": "cheap"}}"#)
        #expect(bad.status == .badRequest)
        for field in [
            "id", "country", "market", "min_notice_s", "price_per_gpu_hour", "gpu_prices.Z9000", "gpu_prices.L4",
        ] {
            #expect(bad.text.contains(#""field":"\#(field)""#), "\(field)")
        }
        let missing = try await api.call(.post, "/v1/admin/pools", token: admin, body: #"{"id": "p"}"#)
        for field in ["name", "country", "region", "market", "price_per_gpu_hour"] {
            #expect(missing.text.contains(#""field":"\#(field)""#), "\(field)")
        }
        let member = try await api.token(team: "team_a")
        #expect(try await api.call(.post, "/v1/admin/pools", token: member, body: campus).status == .forbidden)
    }

    @Test("join tokens are issued once with their secret, listed without it, revoked; deleting the pool revokes them")
    func joinTokens() async throws {
        _ = try await api.call(.post, "/v1/admin/pools", token: admin, body: campus)
        let issued = try await api.call(
            .post, "/v1/admin/pools/campus/join-tokens", token: admin, body: #"{"name": "basement rack"}"#)
        #expect(issued.status == .created)
        let secret = try #require(issued.json["token"] as? String)
        #expect(secret.hasPrefix("gbj_") && secret.count > 40)
        let id = try #require(issued.json["id"] as? String)
        let second = try await api.call(
            .post, "/v1/admin/pools/campus/join-tokens", token: admin, body: #"{"name": "lab"}"#)
        let list = try await api.call(.get, "/v1/admin/pools/campus/join-tokens", token: admin)
        #expect(list.text.contains(id) && !list.text.contains(secret) && !list.text.contains("gbj_"))
        // A join token opens nothing in the API.
        #expect(try await api.call(.get, "/v1/offers", token: secret).status == .unauthorized)

        let revoked = try await api.call(.post, "/v1/admin/join-tokens/\(id)/revoke", token: admin)
        #expect(revoked.json["revoked_at"] is String)
        #expect(try await api.call(.post, "/v1/admin/join-tokens/join_zz/revoke", token: admin).status == .notFound)
        #expect(
            try await api.call(.post, "/v1/admin/pools/nowhere/join-tokens", token: admin, body: #"{"name": "x"}"#)
                .status == .notFound)

        _ = try await api.call(.delete, "/v1/admin/pools/campus", token: admin)
        let secondID = try #require(second.json["id"] as? String)
        let afterDelete = try await api.call(.post, "/v1/admin/join-tokens/\(secondID)/revoke", token: admin)
        #expect(afterDelete.json["revoked_at"] is String, "deleting the pool revoked it")
    }
}
