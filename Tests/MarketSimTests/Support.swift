import BrokerCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

@testable import MarketSim

/// 2026-11-21T15:00:00Z.
let referenceDate = Date(timeIntervalSince1970: 1_795_273_200)

func makeSimulator(
    seed: UInt64 = 1, offers: Int = 5_000, clock: ManualClock = ManualClock(now: referenceDate),
    faults: [SimulatedProvider: FaultPlan] = [:]
) -> MarketSimulator {
    MarketSimulator(
        configuration: MarketConfiguration(seed: seed, totalOffers: offers, faults: faults), clock: clock)
}

/// One market of 100,000 offers at ``referenceDate``, shared by the tests that only read it (its
/// clock never moves and its faults are never set).
let largeSimulator = makeSimulator(offers: 100_000)

/// Runs `test` against the simulator's router, without a socket.
func withClient<Value: Sendable>(
    _ simulator: MarketSimulator, _ test: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let app = Application(router: simulator.buildRouter())
    return try await app.test(.router) { client in try await test(client) }
}

/// SigV4-shaped headers, as the AWS SDKs send them.
let awsHeaders: HTTPFields = [
    .authorization:
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/ec2/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    .contentType: "application/x-www-form-urlencoded; charset=utf-8",
]

let lambdaHeaders: HTTPFields = [.authorization: "Bearer secret_sim_key"]

let shadeformHeaders: HTTPFields = {
    var fields = HTTPFields()
    fields[HTTPField.Name("X-API-KEY")!] = "sim-key"
    return fields
}()

func bytes(_ buffer: ByteBuffer) -> [UInt8] {
    Array(buffer.readableBytesView)
}

func text(_ buffer: ByteBuffer) -> String {
    String(decoding: buffer.readableBytesView, as: UTF8.self)
}

func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(type, from: Data(buffer.readableBytesView))
}

func isValidJSON(_ buffer: ByteBuffer) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) != nil
}

func jsonBody(_ text: String) -> ByteBuffer {
    ByteBuffer(string: text)
}

/// The text of every `<tag>` element, in order (enough XML for EC2's flat answers).
func xmlValues(_ tag: String, in xml: String) -> [String] {
    var values: [String] = []
    var rest = xml[...]
    while let open = rest.range(of: "<\(tag)>") {
        guard let close = rest.range(of: "</\(tag)>", range: open.upperBound..<rest.endIndex) else { break }
        values.append(String(rest[open.upperBound..<close.lowerBound]))
        rest = rest[close.upperBound...]
    }
    return values
}

// MARK: - Wire shapes, with the providers' field names

struct VastAnswer: Decodable {
    var offers: [VastOfferRecord]
}

struct VastOfferRecord: Decodable {
    var id: Int
    var askContractId: Int
    var machineId: Int
    var hostId: Int
    var gpuName: String
    var numGpus: Int
    var gpuRam: Int
    var gpuTotalRam: Int
    var cpuCores: Int
    var cpuCoresEffective: Double
    var cpuRam: Int
    var diskSpace: Double
    var dphBase: Double
    var dphTotal: Double
    var minBid: Double
    var reliability2: Double
    var geolocation: String
    var inetUp: Double
    var inetDown: Double
    var computeCap: Int
    var cudaMaxGood: Double
    var verification: String
    var rentable: Bool
    var rented: Bool
    var staticIp: Bool
    var directPortCount: Int
    var startDate: Double
    var endDate: Double
}

struct RunPodAnswer: Decodable {
    struct DataField: Decodable {
        var gpuTypes: [GPUType]
    }
    struct GPUType: Decodable {
        var id: String
        var displayName: String
        var memoryInGb: Int
        var secureCloud: Bool
        var communityCloud: Bool
        var securePrice: Double?
        var communityPrice: Double?
        var secureSpotPrice: Double?
        var communitySpotPrice: Double?
        var maxGpuCount: Int
        var lowestPrice: LowestPrice
    }
    struct LowestPrice: Decodable {
        var minimumBidPrice: Double?
        var uninterruptablePrice: Double?
        var stockStatus: String?
    }
    var data: DataField
}

struct RunPodErrors: Decodable {
    struct Message: Decodable {
        var message: String
    }
    var errors: [Message]
}

struct LambdaAnswer: Decodable {
    struct Entry: Decodable {
        var instanceType: InstanceType
        var regionsWithCapacityAvailable: [Region]
    }
    struct InstanceType: Decodable {
        var name: String
        var description: String
        var gpuDescription: String
        var priceCentsPerHour: Int
        var specs: Specs
    }
    struct Specs: Decodable {
        var vcpus: Int
        var memoryGib: Int
        var storageGib: Int
        var gpus: Int
    }
    struct Region: Decodable {
        var name: String
        var description: String
    }
    var data: [String: Entry]
}

struct LambdaError: Decodable {
    struct Body: Decodable {
        var code: String
        var message: String
    }
    var error: Body
}

struct ShadeformAnswer: Decodable {
    struct InstanceType: Decodable {
        var cloud: String
        var shadeInstanceType: String
        var cloudInstanceType: String
        var configuration: Configuration
        var hourlyPrice: Int
        var deploymentType: String
        var availability: [Availability]
    }
    struct Configuration: Decodable {
        var memoryInGb: Int
        var storageInGb: Int
        var vcpus: Int
        var numGpus: Int
        var gpuType: String
        var interconnect: String
        var nvlink: Bool
        var vramPerGpuInGb: Int
        var osOptions: [String]
    }
    struct Availability: Decodable {
        var region: String
        var available: Bool
        var displayName: String
    }
    var instanceTypes: [InstanceType]
}

let runpodQuery = """
    {"query": "query GpuTypes { gpuTypes { id displayName memoryInGb secureCloud communityCloud securePrice \
    communityPrice secureSpotPrice communitySpotPrice maxGpuCount lowestPrice(input: {gpuCount: 1}) \
    { minimumBidPrice uninterruptablePrice stockStatus } } }"}
    """
