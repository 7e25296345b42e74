import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("Vast.ai instances")
struct VastInstanceTests {
    static func listedAsks(_ client: some TestClientProtocol) async throws -> Set<Int> {
        let response = try await client.execute(uri: "/vast/api/v0/bundles/", method: .post, body: jsonBody("{}"))
        return Set(try decode(VastAnswer.self, response.body).offers.map(\.id))
    }

    @Test("create, list, destroy; the rented ask leaves the search and comes back")
    func roundTrip() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            let ask = Launch.vastAsk(simulator)
            #expect(try await Self.listedAsks(client).contains(ask))

            let created = try await Launch.vast(ask, label: "gridbroker-node-1", client)
            #expect(created.status == .ok)
            #expect(jsonValue(created.body, "success") as? Bool == true)
            let contract = try #require(jsonValue(created.body, "new_contract") as? Int)
            #expect(try await !Self.listedAsks(client).contains(ask))

            let again = try await Launch.vast(ask, label: "gridbroker-node-2", client)
            #expect(again.status == .notFound)
            #expect(jsonValue(again.body, "error") as? String == "no_such_ask")

            let list = { () async throws -> TestResponse in
                try await client.execute(
                    uri: "/vast/api/v0/instances?owner=me", method: .get, headers: Launch.vastHeaders)
            }
            let loading = try await list()
            #expect(jsonValue(loading.body, "instances", "0", "id") as? Int == contract)
            #expect(jsonValue(loading.body, "instances", "0", "label") as? String == "gridbroker-node-1")
            #expect(jsonValue(loading.body, "instances", "0", "actual_status") as? String == "loading")
            #expect(jsonValue(loading.body, "instances", "0", "intended_status") as? String == "running")
            clock.advance(by: 60)
            #expect(jsonValue(try await list().body, "instances", "0", "actual_status") as? String == "running")

            let destroyed = try await client.execute(
                uri: "/vast/api/v0/instances/\(contract)/", method: .delete, headers: Launch.vastHeaders)
            #expect(destroyed.status == .ok)
            #expect(text(destroyed.body) == #"{"success":true}"#)
            #expect((jsonValue(try await list().body, "instances") as? [Any])?.isEmpty == true)
            #expect(try await Self.listedAsks(client).contains(ask))

            let unknown = try await client.execute(
                uri: "/vast/api/v0/instances/\(contract)/", method: .delete, headers: Launch.vastHeaders)
            #expect(unknown.status == .notFound)
            #expect(jsonValue(unknown.body, "error") as? String == "no_such_instance")
            #expect(try await Launch.vast(ask, label: "gridbroker-node-3", client).status == .ok)
        }
    }

    @Test("an ask that is not listed now, or does not exist, is refused no_such_ask")
    func unlistedAsk() async throws {
        let simulator = makeSimulator()
        let time = referenceDate.timeIntervalSince1970
        let unlisted = try #require(
            simulator.market.vast.offers.first { !simulator.market.vast.isListed($0, at: time) })
        try await withClient(simulator) { client in
            for ask in [unlisted.askContractID, 1] {
                let response = try await Launch.vast(ask, label: "gridbroker-x", client)
                #expect(response.status == .notFound)
                #expect(jsonValue(response.body, "error") as? String == "no_such_ask")
            }
        }
    }

    @Test("bad bodies are 400 and missing keys 401, in Vast's error shape")
    func badRequests() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let ask = Launch.vastAsk(simulator)
            for body in ["not json", "[]", #"{"label":"no image"}"#] {
                let response = try await client.execute(
                    uri: "/vast/api/v0/asks/\(ask)/", method: .put, headers: Launch.vastHeaders, body: jsonBody(body))
                #expect(response.status == .badRequest)
                #expect(jsonValue(response.body, "success") as? Bool == false)
            }
            let anonymous = try await client.execute(uri: "/vast/api/v0/instances", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(try await SimInstances.fetch(client).isEmpty)
        }
    }
}
