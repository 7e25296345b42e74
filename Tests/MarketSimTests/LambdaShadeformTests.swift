import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("Lambda Cloud and Shadeform")
struct LambdaShadeformTests {
    @Test("Lambda's instance-types answer has every type, with regions that have capacity")
    func lambdaShape() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(
                uri: "/lambda/api/v1/instance-types", method: .get, headers: lambdaHeaders)
            #expect(response.status == .ok)
            let answer = try decode(LambdaAnswer.self, response.body)
            #expect(answer.data.count == LambdaMarket.catalog.count)
            let h100 = try #require(answer.data["gpu_8x_h100_sxm5"])
            #expect(h100.instanceType.name == "gpu_8x_h100_sxm5")
            #expect(h100.instanceType.description == "8x H100 (80 GB SXM5)")
            #expect(h100.instanceType.gpuDescription == "H100 (80 GB SXM5)")
            #expect(h100.instanceType.specs.gpus == 8)
            #expect(h100.instanceType.specs.vcpus == 208)
            #expect((2_300...2_500).contains(h100.instanceType.priceCentsPerHour))
            let regionNames = Set(LambdaMarket.regions.map(\.name))
            for (key, entry) in answer.data {
                #expect(entry.instanceType.name == key)
                #expect(entry.regionsWithCapacityAvailable.allSatisfy { regionNames.contains($0.name) })
            }
        }
    }

    @Test("Lambda types sell out and come back over time")
    func lambdaCapacity() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            var soldOut = 0
            var snapshots: Set<[String]> = []
            for _ in 0..<24 {
                let answer = try decode(
                    LambdaAnswer.self,
                    try await client.execute(uri: "/lambda/api/v1/instance-types", method: .get, headers: lambdaHeaders)
                        .body)
                soldOut += answer.data.values.filter(\.regionsWithCapacityAvailable.isEmpty).count
                snapshots.insert(
                    answer.data.keys.sorted().map { key in
                        key + ":" + answer.data[key]!.regionsWithCapacityAvailable.map(\.name).joined(separator: ",")
                    })
                clock.advance(by: 3_600)
            }
            #expect(soldOut > 0)
            #expect(snapshots.count > 1)
        }
    }

    @Test("Lambda without credentials is 401 with Lambda's error shape; basic auth is accepted")
    func lambdaAuth() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(uri: "/lambda/api/v1/instance-types", method: .get)
            #expect(response.status == .unauthorized)
            let error = try decode(LambdaError.self, response.body)
            #expect(error.error.code == "global/invalid-api-key")
            #expect(!error.error.message.isEmpty)

            let basic = try await client.execute(
                uri: "/lambda/api/v1/instance-types", method: .get,
                headers: [.authorization: "Basic " + Data("secret_key:".utf8).base64EncodedString()])
            #expect(basic.status == .ok)
        }
    }

    @Test("Shadeform's instance types: configuration, price in cents, availability per region")
    func shadeformShape() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(
                uri: "/shadeform/v1/instances/types", method: .get, headers: shadeformHeaders)
            #expect(response.status == .ok)
            let types = try decode(ShadeformAnswer.self, response.body).instanceTypes
            #expect(!types.isEmpty)
            let clouds = Set(ShadeformMarket.clouds.map(\.name))
            for type in types {
                #expect(clouds.contains(type.cloud))
                #expect(type.deploymentType == "vm")
                #expect(!type.availability.isEmpty)
                #expect(type.hourlyPrice > 0)
                #expect(type.configuration.numGpus >= 1)
            }
            #expect(types.contains { $0.availability.contains(where: \.available) })

            let h100 = try decode(
                ShadeformAnswer.self,
                try await client.execute(
                    uri: "/shadeform/v1/instances/types?gpu_type=H100&num_gpus=8&sort=price", method: .get,
                    headers: shadeformHeaders
                ).body
            ).instanceTypes
            #expect(h100.allSatisfy { $0.configuration.gpuType == "H100" && $0.configuration.numGpus == 8 })
            #expect(h100.map(\.hourlyPrice) == h100.map(\.hourlyPrice).sorted())
            #expect(h100.allSatisfy { (8 * 160...8 * 350).contains($0.hourlyPrice) })
        }
    }

    @Test("Shadeform without X-API-KEY is 401")
    func shadeformAuth() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(uri: "/shadeform/v1/instances/types", method: .get)
            #expect(response.status == .unauthorized)
            #expect(isValidJSON(response.body))
        }
    }
}
