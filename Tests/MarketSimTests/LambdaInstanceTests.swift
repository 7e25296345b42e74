import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("Lambda Cloud instances")
struct LambdaInstanceTests {
    static func regionsWithCapacity(_ type: String, _ client: some TestClientProtocol) async throws -> [String] {
        let response = try await client.execute(
            uri: "/lambda/api/v1/instance-types", method: .get, headers: lambdaHeaders)
        return try decode(LambdaAnswer.self, response.body).data[type]?.regionsWithCapacityAvailable.map(\.name) ?? []
    }

    static func list(_ client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(uri: "/lambda/api/v1/instances", method: .get, headers: lambdaHeaders)
    }

    static func terminate(_ ids: [String], _ client: some TestClientProtocol) async throws -> TestResponse {
        let list = ids.map { "\"\($0)\"" }.joined(separator: ",")
        return try await client.execute(
            uri: "/lambda/api/v1/instance-operations/terminate", method: .post, headers: lambdaHeaders,
            body: jsonBody("{\"instance_ids\":[\(list)]}"))
    }

    @Test("launch up to the capacity, then insufficient-capacity; terminating gives it back")
    func roundTrip() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            let (type, region, capacity) = Launch.lambdaPair(simulator)
            #expect(try await Self.regionsWithCapacity(type.name, client).contains(region))
            let launched = try await Launch.lambda(
                type.name, region: region, quantity: capacity, name: "gridbroker-l1", client)
            #expect(launched.status == .ok)
            let ids = try #require(jsonValue(launched.body, "data", "instance_ids") as? [String])
            #expect(ids.count == capacity)
            #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
            #expect(try await !Self.regionsWithCapacity(type.name, client).contains(region))

            let refused = try await Launch.lambda(type.name, region: region, name: "gridbroker-l2", client)
            #expect(refused.status == .badRequest)
            #expect(
                try decode(LambdaError.self, refused.body).error.code
                    == "instance-operations/launch/insufficient-capacity")

            #expect(jsonValue(try await Self.list(client).body, "data", "0", "status") as? String == "booting")
            clock.advance(by: 30)
            let active = try await Self.list(client)
            #expect(jsonValue(active.body, "data", "0", "status") as? String == "active")
            #expect(jsonValue(active.body, "data", "0", "name") as? String == "gridbroker-l1")
            #expect(jsonValue(active.body, "data", "0", "region", "name") as? String == region)
            #expect(jsonValue(active.body, "data", "0", "instance_type", "name") as? String == type.name)

            let terminated = try await Self.terminate([ids[0]], client)
            #expect(terminated.status == .ok)
            #expect(jsonValue(terminated.body, "data", "terminated_instances", "0", "id") as? String == ids[0])
            #expect(
                jsonValue(terminated.body, "data", "terminated_instances", "0", "status") as? String == "terminating")
            #expect(try await !Self.regionsWithCapacity(type.name, client).contains(region))
            clock.advance(by: 10)
            let one = try await client.execute(
                uri: "/lambda/api/v1/instances/\(ids[0])", method: .get, headers: lambdaHeaders)
            #expect(jsonValue(one.body, "data", "status") as? String == "terminated")
            #expect(try await Self.regionsWithCapacity(type.name, client).contains(region))
            #expect(try await Launch.lambda(type.name, region: region, name: "gridbroker-l3", client).status == .ok)

            clock.advance(by: 700)
            let remaining = try #require(jsonValue(try await Self.list(client).body, "data") as? [[String: Any]])
            #expect(!remaining.contains { $0["id"] as? String == ids[0] })
            #expect(remaining.count == capacity)
        }
    }

    @Test("unknown ids are 404 object-does-not-exist; bad launches are 400 invalid-parameters")
    func badRequests() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let unknown = try await Self.terminate(["0920582c7ff041399e34823a0be62549"], client)
            #expect(unknown.status == .notFound)
            #expect(try decode(LambdaError.self, unknown.body).error.code == "global/object-does-not-exist")
            let (type, region, _) = Launch.lambdaPair(simulator)
            for body in [
                "{", #"{"region_name":"\#(region)","instance_type_name":"gpu_99x_none","ssh_key_names":["k"]}"#,
                #"{"region_name":"mars-1","instance_type_name":"\#(type.name)","ssh_key_names":["k"]}"#,
                #"{"region_name":"\#(region)","instance_type_name":"\#(type.name)"}"#,
                #"{"region_name":"\#(region)","instance_type_name":"\#(type.name)","ssh_key_names":["k"],"quantity":0}"#,
            ] {
                let response = try await client.execute(
                    uri: "/lambda/api/v1/instance-operations/launch", method: .post, headers: lambdaHeaders,
                    body: jsonBody(body))
                #expect(response.status == .badRequest)
                #expect(try decode(LambdaError.self, response.body).error.code == "global/invalid-parameters")
            }
            #expect(try await client.execute(uri: "/lambda/api/v1/instances", method: .get).status == .unauthorized)
        }
    }
}
