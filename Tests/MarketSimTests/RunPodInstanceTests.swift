import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("RunPod pods")
struct RunPodInstanceTests {
    static func graphql(_ query: String, _ client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/runpod/graphql?api_key=sim", method: .post, body: jsonBody("{\"query\": \"\(query)\"}"))
    }

    static let pods = "query { myself { pods { id name desiredStatus runtime { uptimeInSeconds } } } }"

    @Test("deploy, list, terminate; the type's stock runs out and comes back")
    func roundTrip() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            let (type, available) = Launch.runpodType(simulator)
            let deployed = try await Launch.runpod(type.id, gpus: available, name: "gridbroker-n1", client)
            #expect(deployed.status == .ok)
            let podID = try #require(jsonValue(deployed.body, "data", "podFindAndDeployOnDemand", "id") as? String)
            #expect(podID.count == 14)
            #expect(
                jsonValue(deployed.body, "data", "podFindAndDeployOnDemand", "desiredStatus") as? String == "RUNNING")

            let refused = try await Launch.runpod(type.id, gpus: 1, name: "gridbroker-n2", client)
            #expect(refused.status == .ok)
            #expect(try decode(RunPodErrors.self, refused.body).errors.first?.message == RunPodPods.noInstances)
            let prices = try decode(
                RunPodAnswer.self,
                try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(runpodQuery)).body)
            #expect(prices.data.gpuTypes.first { $0.id == type.id }?.lowestPrice.stockStatus == nil)

            let booting = try await Self.graphql(Self.pods, client)
            #expect(jsonValue(booting.body, "data", "myself", "pods", "0", "id") as? String == podID)
            #expect(jsonValue(booting.body, "data", "myself", "pods", "0", "name") as? String == "gridbroker-n1")
            #expect(jsonValue(booting.body, "data", "myself", "pods", "0", "runtime") is NSNull)
            clock.advance(by: 60)
            let running = try await Self.graphql(Self.pods, client)
            #expect(jsonValue(running.body, "data", "myself", "pods", "0", "runtime", "uptimeInSeconds") as? Int == 40)

            let terminate = "mutation { podTerminate(input: {podId: \\\"\(podID)\\\"}) }"
            let terminated = try await Self.graphql(terminate, client)
            #expect(text(terminated.body) == #"{"data":{"podTerminate":null}}"#)
            #expect(
                (jsonValue(try await Self.graphql(Self.pods, client).body, "data", "myself", "pods") as? [Any])?.isEmpty
                    == true)
            #expect(try await Launch.runpod(type.id, gpus: 1, name: "gridbroker-n3", client).status == .ok)

            let unknown = try await Self.graphql(terminate, client)
            #expect(
                try decode(RunPodErrors.self, unknown.body).errors.first?.message.hasPrefix("pod not found") == true)
        }
    }

    @Test("a spot pod through podRentInterruptable, with variables")
    func spot() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let (type, _) = Launch.runpodType(simulator)
            let body = """
                {"query": "mutation Rent($input: PodRentInterruptableInput!) { podRentInterruptable(input: $input) { id costPerHr podType } }",
                 "variables": {"input": {"bidPerGpu": 0.5, "cloudType": "SECURE", "gpuCount": 1, "gpuTypeId": "\(type.id)",
                                         "name": "gridbroker-s1", "imageName": "img"}}}
                """
            let response = try await client.execute(
                uri: "/runpod/graphql?api_key=sim", method: .post, body: jsonBody(body))
            #expect(jsonValue(response.body, "data", "podRentInterruptable", "podType") as? String == "INTERRUPTABLE")
            #expect(jsonValue(response.body, "data", "podRentInterruptable", "costPerHr") as? Double == 0.5)
            let live = try await SimInstances.fetch(client)
            #expect(live.map(\.offer) == ["\(type.id):secure:1:spot"])
        }
    }

    @Test("mutations need the API key; bad inputs are errors, not crashes")
    func badRequests() async throws {
        try await withClient(makeSimulator()) { client in
            let anonymous = try await client.execute(
                uri: "/runpod/graphql", method: .post,
                body: jsonBody(#"{"query": "query { myself { pods { id } } }"}"#))
            #expect(anonymous.status == .unauthorized)
            for query in [
                "mutation { podFindAndDeployOnDemand { id } }",
                "mutation { podFindAndDeployOnDemand(input: {gpuCount: 1}) { id } }",
                "mutation { podTerminate(input: {}) }",
                "mutation { podStop(input: {podId: \\\"x\\\"}) { id } }",
                "mutation { podFindAndDeployOnDemand(input: {gpuTypeId: \\\"NVIDIA H100 80GB HBM3\\\", gpuCount: 64}) { id } }",
            ] {
                let response = try await Self.graphql(query, client)
                #expect(try decode(RunPodErrors.self, response.body).errors.count == 1)
            }
            #expect(try await SimInstances.fetch(client).isEmpty)
        }
    }
}
