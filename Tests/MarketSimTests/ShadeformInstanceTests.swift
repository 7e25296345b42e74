import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("Shadeform instances")
struct ShadeformInstanceTests {
    static func isAvailable(
        _ pair: (cloud: String, type: String, region: String, capacity: Int), _ client: some TestClientProtocol
    ) async throws -> Bool? {
        let response = try await client.execute(
            uri: "/shadeform/v1/instances/types?cloud=\(pair.cloud)&shade_instance_type=\(pair.type)", method: .get,
            headers: shadeformHeaders)
        return try decode(ShadeformAnswer.self, response.body).instanceTypes.first?.availability
            .first { $0.region == pair.region }?.available
    }

    @Test("create up to the capacity, then 409 out of stock; delete gives it back")
    func roundTrip() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            let pair = Launch.shadeformPair(simulator)
            #expect(try await Self.isAvailable(pair, client) == true)
            var ids: [String] = []
            for index in 0..<pair.capacity {
                let created = try await Launch.shadeform(
                    cloud: pair.cloud, type: pair.type, region: pair.region, name: "gridbroker-s\(index)", client)
                #expect(created.status == .ok)
                ids.append(try #require(jsonValue(created.body, "id") as? String))
                #expect(jsonValue(created.body, "cloud_assigned_id") == nil, "removed from the API in March 2025")
            }
            #expect(ids.allSatisfy { UUID(uuidString: $0) != nil })
            #expect(try await Self.isAvailable(pair, client) == false)
            let refused = try await Launch.shadeform(
                cloud: pair.cloud, type: pair.type, region: pair.region, name: "gridbroker-sx", client)
            #expect(refused.status == .conflict)
            #expect((jsonValue(refused.body, "message") as? String)?.contains("out of stock") == true)

            let list = try await client.execute(uri: "/shadeform/v1/instances", method: .get, headers: shadeformHeaders)
            #expect(jsonValue(list.body, "instances", "0", "id") as? String == ids[0])
            #expect(jsonValue(list.body, "instances", "0", "name") as? String == "gridbroker-s0")
            #expect(jsonValue(list.body, "instances", "0", "status") as? String == "creating")
            clock.advance(by: 60)
            let info = try await client.execute(
                uri: "/shadeform/v1/instances/\(ids[0])/info", method: .get, headers: shadeformHeaders)
            #expect(jsonValue(info.body, "status") as? String == "active")
            #expect(jsonValue(info.body, "shade_instance_type") as? String == pair.type)
            #expect(jsonValue(info.body, "ssh_port") as? Int == 22)
            #expect(jsonValue(info.body, "configuration", "os") is String)
            #expect(jsonValue(info.body, "cost_estimate") is String)

            let deleted = try await client.execute(
                uri: "/shadeform/v1/instances/\(ids[0])/delete", method: .post, headers: shadeformHeaders)
            #expect(deleted.status == .ok)
            let deleting = try await client.execute(
                uri: "/shadeform/v1/instances/\(ids[0])/info", method: .get, headers: shadeformHeaders)
            #expect(jsonValue(deleting.body, "status") as? String == "deleting")
            clock.advance(by: 10)
            // Deleted instances leave the API: info is a 404 and the list no longer shows them.
            let gone = try await client.execute(
                uri: "/shadeform/v1/instances/\(ids[0])/info", method: .get, headers: shadeformHeaders)
            #expect(gone.status == .notFound)
            let listed = try await client.execute(
                uri: "/shadeform/v1/instances", method: .get, headers: shadeformHeaders)
            #expect(!String(decoding: listed.body.readableBytesView, as: UTF8.self).contains(ids[0]))
            #expect(try await Self.isAvailable(pair, client) == true)
        }
    }

    @Test("unknown ids are 404; bad bodies are 400 with Shadeform's error")
    func badRequests() async throws {
        try await withClient(makeSimulator()) { client in
            let unknown = try await client.execute(
                uri: "/shadeform/v1/instances/d290f1ee-6c54-4b01-90e6-d701748f0851/delete", method: .post,
                headers: shadeformHeaders)
            #expect(unknown.status == .notFound)
            for body in [
                "nope", #"{"cloud":"lambdalabs"}"#,
                #"{"cloud":"nowhere","region":"x","shade_instance_type":"A100","shade_cloud":true,"name":"n"}"#,
            ] {
                let response = try await client.execute(
                    uri: "/shadeform/v1/instances/create", method: .post, headers: shadeformHeaders,
                    body: jsonBody(body))
                #expect(response.status == .badRequest)
                #expect(jsonValue(response.body, "message") is String)
            }
        }
    }
}
