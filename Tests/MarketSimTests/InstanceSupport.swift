import BrokerCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

@testable import MarketSim

/// Launch requests that succeed at ``referenceDate`` on a market from ``makeSimulator()``: each
/// picks the first offer that has capacity then.
enum Launch {
    static let vastHeaders: HTTPFields = [.authorization: "Bearer sim-vast-key"]

    /// A boot script as the broker gives Lambda and EC2 nodes: the node's spec, with `A=1` in the
    /// command's environment.
    static let bootScript = """
        #!/bin/sh
        cat >"$home/node.json" <<'GRIDBROKER_NODE_SPEC'
        {"broker":"http://127.0.0.1:8080","command":["run it"],"environment":{"A":"1"},"image":"img","node_id":"node_1","token":"gbn_1"}
        GRIDBROKER_NODE_SPEC
        """

    /// The first Vast ask listed at the reference time.
    static func vastAsk(_ simulator: MarketSimulator) -> Int {
        let time = referenceDate.timeIntervalSince1970
        return simulator.market.vast.offers.first { simulator.market.vast.isListed($0, at: time) }!.askContractID
    }

    static func vast(_ ask: Int, label: String, _ client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/vast/api/v0/asks/\(ask)/", method: .put, headers: vastHeaders,
            body: jsonBody(
                #"{"client_id":"me","image":"pytorch/pytorch:latest","env":{"A":"1"},"disk":40,"label":"\#(label)","#
                    + #""onstart":"gridbroker agent","runtype":"args","price":null}"#))
    }

    /// The first RunPod type with stock and a secure price, with its GPUs available now.
    static func runpodType(_ simulator: MarketSimulator) -> (type: RunPodGPUType, available: Int) {
        let market = simulator.market.runpod
        let time = referenceDate.timeIntervalSince1970
        let type = market.types.first {
            market.quote($0, at: time).stockStatus != nil && market.quote($0, at: time).securePrice != nil
        }!
        return (type, market.quote(type, at: time).maxGpuCountAvailable)
    }

    static func runpod(
        _ typeID: String, gpus: Int, name: String, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        let query =
            "mutation { podFindAndDeployOnDemand(input: {cloudType: SECURE, gpuCount: \(gpus), gpuTypeId: \\\"\(typeID)\\\", "
            + "name: \\\"\(name)\\\", imageName: \\\"img\\\", containerDiskInGb: 20, env: [{key: \\\"A\\\", value: \\\"1\\\"}], "
            + "dockerArgs: \\\"run\\\"}) { id name desiredStatus } }"
        return try await client.execute(
            uri: "/runpod/graphql?api_key=sim", method: .post, body: jsonBody("{\"query\": \"\(query)\"}"))
    }

    /// The first Lambda (type, region) with capacity that keeps it for the next 20 minutes.
    static func lambdaPair(_ simulator: MarketSimulator) -> (type: LambdaInstanceType, region: String, capacity: Int) {
        let market = simulator.market.lambda
        let time = referenceDate.timeIntervalSince1970
        for type in market.types {
            for region in type.regions {
                let capacity = market.capacity(type, region: region, at: time)
                if capacity > 0 && market.capacity(type, region: region, at: time + 1_200) == capacity {
                    return (type, LambdaMarket.regions[region].name, capacity)
                }
            }
        }
        fatalError("no Lambda capacity at the reference time")
    }

    static func lambda(
        _ type: String, region: String, quantity: Int = 1, name: String, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/lambda/api/v1/instance-operations/launch", method: .post, headers: lambdaHeaders,
            body: jsonBody(
                #"{"region_name":"\#(region)","instance_type_name":"\#(type)","ssh_key_names":["sim"],"#
                    + #""quantity":\#(quantity),"name":"\#(name)","user_data":"#
                    + String(decoding: try JSONEncoder().encode(bootScript), as: UTF8.self) + "}"))
    }

    /// The first EC2 series in us-east-1 and its capacity.
    static func awsSeries(_ simulator: MarketSimulator) -> (type: String, zone: String, capacity: Int) {
        let market = simulator.market.aws
        let series = market.series.first { AWSMarket.zones[$0.zone].region == 0 }!
        return (AWSMarket.instanceTypes[series.type].name, AWSMarket.zones[series.zone].name, market.capacity(series))
    }

    static func aws(
        _ type: String, zone: String, node: String, token: String? = nil, extra: String = "",
        _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        var form =
            "Action=RunInstances&Version=2016-11-15&ImageId=ami-0123456789abcdef0&InstanceType=\(type)"
            + "&MinCount=1&MaxCount=1&Placement.AvailabilityZone=\(zone)"
            + "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=gridbroker-node"
            + "&TagSpecification.1.Tag.1.Value=\(node)&TagSpecification.1.Tag.2.Key=Name"
            + "&TagSpecification.1.Tag.2.Value=gridbroker-\(node)&UserData="
            + Data(bootScript.utf8).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            + extra
        if let token { form += "&ClientToken=\(token)" }
        return try await client.execute(
            uri: "/aws/us-east-1/", method: .post, headers: awsHeaders, body: jsonBody(form))
    }

    /// The first Shadeform (type, region) with capacity.
    static func shadeformPair(
        _ simulator: MarketSimulator
    ) -> (cloud: String, type: String, region: String, capacity: Int) {
        let market = simulator.market.shadeform
        let time = referenceDate.timeIntervalSince1970
        for type in market.types {
            for region in type.regions where market.capacity(type, region: region, at: time) > 0 {
                let cloud = ShadeformMarket.clouds[type.cloud]
                return (
                    cloud.name, type.shadeInstanceType, cloud.regions[region].0,
                    market.capacity(type, region: region, at: time)
                )
            }
        }
        fatalError("no Shadeform capacity at the reference time")
    }

    static func shadeform(
        cloud: String, type: String, region: String, name: String, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/shadeform/v1/instances/create", method: .post, headers: shadeformHeaders,
            body: jsonBody(
                #"{"cloud":"\#(cloud)","region":"\#(region)","shade_instance_type":"\#(type)","shade_cloud":true,"#
                    + #""name":"\#(name)","launch_configuration":{"type":"docker","docker_configuration":"#
                    + #"{"image":"img","args":"run","envs":[{"name":"A","value":"1"}]}}}"#))
    }

    /// One successful launch on `provider`, named `name`.
    static func any(
        _ provider: SimulatedProvider, name: String, _ simulator: MarketSimulator, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        switch provider {
        case .vast:
            return try await vast(vastAsk(simulator), label: name, client)
        case .runpod:
            return try await runpod(runpodType(simulator).type.id, gpus: 1, name: name, client)
        case .lambda:
            let pair = lambdaPair(simulator)
            return try await lambda(pair.type.name, region: pair.region, name: name, client)
        case .aws:
            let series = awsSeries(simulator)
            return try await aws(series.type, zone: series.zone, node: String(name.dropFirst(11)), client)
        case .shadeform:
            let pair = shadeformPair(simulator)
            return try await shadeform(cloud: pair.cloud, type: pair.type, region: pair.region, name: name, client)
        }
    }
}

/// `GET /_sim/instances`.
struct SimInstances: Decodable {
    struct Instance: Decodable, Equatable {
        var provider: String
        var id: String
        var nativeId: String
        var name: String
        var offer: String
        var environment: [String: String]
        var gpu: String?
        var gpus: Int
        var spotZone: String?
        var state: String
    }
    var instances: [Instance]

    static func fetch(_ client: some TestClientProtocol) async throws -> [Instance] {
        try decode(SimInstances.self, try await client.execute(uri: "/_sim/instances", method: .get).body).instances
    }
}

/// A JSON object's member at a path of keys, or nil.
func jsonValue(_ buffer: ByteBuffer, _ path: String...) -> Any? {
    var value: Any? = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
    for key in path {
        if let index = Int(key), let array = value as? [Any] {
            value = index < array.count ? array[index] : nil
        } else {
            value = (value as? [String: Any])?[key]
        }
    }
    return value
}
