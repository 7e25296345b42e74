import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("RunPod GraphQL")
struct RunPodTests {
    @Test("the gpuTypes query answers RunPod's shape, prices per GPU-hour")
    func gpuTypes() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(
                uri: "/runpod/graphql?api_key=anything", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(runpodQuery))
            #expect(response.status == .ok)
            let types = try decode(RunPodAnswer.self, response.body).data.gpuTypes
            #expect(types.count == RunPodMarket.catalog.count)
            let h100 = try #require(types.first { $0.id == "NVIDIA H100 80GB HBM3" })
            #expect(h100.displayName == "H100 SXM")
            #expect(h100.memoryInGb == 80)
            #expect(h100.maxGpuCount == 8)
            #expect((2.0...3.5).contains(try #require(h100.securePrice)))
            #expect((0.9...2.2).contains(try #require(h100.communitySpotPrice)))
            for type in types {
                #expect(type.secureCloud == (type.securePrice != nil))
                if let stock = type.lowestPrice.stockStatus {
                    #expect(["High", "Medium", "Low"].contains(stock))
                    #expect(type.lowestPrice.uninterruptablePrice != nil)
                } else {
                    #expect(type.lowestPrice.uninterruptablePrice == nil)
                }
            }
            // Some prices are null: not every GPU is sold in both clouds or as spot.
            #expect(types.contains { $0.communityPrice == nil })
        }
    }

    @Test("only the selected fields come back, under their aliases; input filters by id")
    func selection() async throws {
        try await withClient(makeSimulator()) { client in
            let query = #"""
                {"query": "query { gpuTypes(input: {id: \"NVIDIA L40S\"}) { id mem: memoryInGb lowestPrice(input: {gpuCount: 64}) { stockStatus } } }"}
                """#
            let response = try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(query))
            let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            let types = (object?["data"] as? [String: Any])?["gpuTypes"] as? [[String: Any]]
            #expect(types?.count == 1)
            let type = try #require(types?.first)
            #expect(Set(type.keys) == ["id", "mem", "lowestPrice"])
            #expect(type["id"] as? String == "NVIDIA L40S")
            #expect(type["mem"] as? Int == 48)
            // No pod has 64 L40S: no stock.
            #expect((type["lowestPrice"] as? [String: Any])?["stockStatus"] is NSNull)
        }
    }

    @Test("variables are substituted")
    func variables() async throws {
        try await withClient(makeSimulator()) { client in
            let query = #"""
                {"query": "query Gpu($input: GpuTypeFilter) { gpuTypes(input: $input) { id displayName } }",
                 "variables": {"input": {"id": "NVIDIA GeForce RTX 4090"}}}
                """#
            let response = try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(query))
            let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            let types = (object?["data"] as? [String: Any])?["gpuTypes"] as? [[String: Any]]
            #expect(types?.map { $0["displayName"] as? String } == ["RTX 4090"])
        }
    }

    @Test("an unknown query is answered with errors and HTTP 200, as RunPod does")
    func unknownQuery() async throws {
        try await withClient(makeSimulator()) { client in
            for body in [
                #"{"query": "query { pod(input: {podId: \"x\"}) { id } }"}"#, #"{"query": "query { gpuTypes { id "}"#,
                "{}",
            ] {
                let response = try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(body))
                #expect(response.status == .ok)
                let errors = try decode(RunPodErrors.self, response.body)
                #expect(!errors.errors.isEmpty)
            }
        }
    }
}
