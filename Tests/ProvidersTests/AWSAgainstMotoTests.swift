import BrokerCore
import CurlHTTP
import Foundation
import Synchronization
import Testing

@testable import Providers

/// The AWS adapter against moto's EC2 server (PyPI `moto[server]==5.2.1`), an emulator nobody here
/// wrote, with authentication on: every request is signed and checked. `scripts/test` starts it
/// (`scripts/lib/moto-server`) and sets `GRIDBROKER_MOTO_*`; without them the suite does not run.
@Suite("AWS adapter against moto", .enabled(if: MotoServer.current != nil))
struct AWSAgainstMotoTests {
    private let moto = MotoServer.current!
    private let client = CurlHTTPClient()

    private func provisioner(_ credentials: AWSCredentials? = nil, listPageSize: Int = 1000) -> AWSProvisioner {
        AWSProvisioner(
            providerID: "aws", endpoint: moto.url, regions: ["us-east-1", "eu-west-1"],
            credentials: credentials ?? moto.credentials, imageID: "ami-12c6146b", listPageSize: listPageSize)
    }

    private func request(_ native: String, node: String, market: Market, bid: Money? = nil) -> LaunchRequest {
        let now = Date()
        let offer = Offer(
            id: OfferID(provider: "aws", native: native), gpu: .unknown("A100"), gpuCount: 8, gpuMemoryGB: 40,
            interconnect: nil, vcpus: 96, memoryGB: 1152, diskGB: 0, region: "us-east-1", country: "US",
            market: market, pricePerHour: Money(microdollars: 9_800_000), available: 1, reliability: nil,
            firstSeenAt: now, lastSeenAt: now, raw: nil)
        return LaunchRequest(
            nodeID: node, offer: offer, image: "nvcr.io/nvidia/pytorch:24.05-py3", command: ["torchrun", "train.py"],
            environment: ["NODE_RANK": "0"], agentToken: "gbn_moto_token",
            agent: AgentDelivery(brokerURL: "https://broker.example", sha256: String(repeating: "ab", count: 32)),
            bid: bid)
    }

    /// A node id of this run, so that tests sharing the server never see each other's instances.
    private func nodeID(_ name: String) -> String { "node_\(name)_\(UUID().uuidString.prefix(8).lowercased())" }

    @Test("spot prices: moto's 'Linux/UNIX (Amazon VPC)' records become offers, with max_instances as capacity")
    func spotPrices() async throws {
        let source = AWSPricingSource(
            providerID: "aws", endpoint: moto.url, regions: ["us-east-1"], credentials: moto.credentials,
            onDemandPrices: ["p4d.24xlarge": Money(microdollars: 32_772_000)], maxInstances: ["us-east-1": 4])
        let snapshot = try await source.fetchOffers(transport: client, now: Date())
        let spot = snapshot.offers.filter { $0.market == .spot }
        #expect(spot.count >= 100, "one offer per GPU type and zone moto offers (161 in us-east-1)")
        #expect(spot.allSatisfy { $0.region.hasPrefix("us-east-1") && $0.pricePerHour > .zero })
        #expect(!snapshot.skipped.contains { $0.reason.contains("product description") })
        #expect(snapshot.offers.allSatisfy { $0.available == 4 }, "a 4-node gang fits in one region")
        #expect(snapshot.offers.contains { $0.id.native == "p4d.24xlarge:us-east-1:on_demand" })
    }

    @Test("launch on-demand and spot with tags, market options and UserData; list page by page; terminate twice")
    func launchListTerminate() async throws {
        let aws = provisioner(listPageSize: 5)
        let onDemand = nodeID("ondemand")
        let spot = nodeID("spot")
        let more = (0..<6).map { nodeID("page\($0)") }
        let launchedOnDemand = try await aws.launch(
            request("p4d.24xlarge:us-east-1:on_demand", node: onDemand, market: .onDemand), transport: client)
        let launchedSpot = try await aws.launch(
            request("g5.xlarge:us-east-1b:spot", node: spot, market: .spot, bid: Money(microdollars: 1_500_000)),
            transport: client)
        var launched = [launchedOnDemand, launchedSpot]
        for node in more {
            launched.append(
                try await aws.launch(
                    request("p4d.24xlarge:eu-west-1:on_demand", node: node, market: .onDemand), transport: client))
        }
        #expect(launchedOnDemand.nativeID.hasPrefix("us-east-1/i-"))
        #expect(launched.filter { $0.nativeID.hasPrefix("eu-west-1/i-") }.count == 6)

        // What EC2 itself holds: the spot market, the zone, both tags, and the boot script as UserData.
        let spotItem = try await moto.describe(launchedSpot.nativeID, client: client)
        #expect(spotItem.childText("instanceLifecycle") == "spot")
        #expect(spotItem.child("placement")?.childText("availabilityZone") == "us-east-1b")
        let tags = Dictionary(
            (spotItem.child("tagSet")?.children(named: "item") ?? []).map {
                ($0.childText("key") ?? "", $0.childText("value") ?? "")
            }, uniquingKeysWith: { first, _ in first })
        #expect(tags == ["gridbroker-node": spot, "Name": "gridbroker-\(spot)"])
        let userData = try await moto.userData(of: launchedSpot.nativeID, client: client)
        #expect(userData.hasPrefix("#!/bin/sh\n# gridbroker node \(spot)"))
        #expect(userData.contains("gbn_moto_token"), "the token travels in the script, never on a command line")

        // Listed across regions and pages (eu-west-1 holds 6 of ours at 5 a page, plus other tests').
        let counting = CountingTransport(client)
        let listed = try await aws.instances(transport: counting)
        let ours = Set(launched.map(\.nativeID))
        #expect(ours.isSubset(of: Set(listed.map(\.nativeID))))
        #expect(counting.count >= 3, "us-east-1, then eu-west-1 in more than one page")
        #expect(
            listed.filter { ours.contains($0.nativeID) }.allSatisfy { [.pending, .running].contains($0.status) })

        for instance in launched {
            try await aws.terminate(nativeID: instance.nativeID, transport: client)
            try await aws.terminate(nativeID: instance.nativeID, transport: client)  // safe to repeat
        }
        let after = try await aws.instances(transport: client).filter { ours.contains($0.nativeID) }
        #expect(after.count == launched.count)
        #expect(after.allSatisfy { $0.status == .terminated || $0.status == .stopping })
    }

    @Test("reconciling: an instance tagged with a node that is no longer live is terminated, another broker's is not")
    func reconcileOrphan() async throws {
        let aws = provisioner()
        let orphanNode = nodeID("orphan")
        let foreignNode = nodeID("foreign")
        let orphan = try await aws.launch(
            request("p4d.24xlarge:us-east-1:on_demand", node: orphanNode, market: .onDemand), transport: client)
        let foreign = try await aws.launch(
            request("p4d.24xlarge:us-east-1:on_demand", node: foreignNode, market: .onDemand), transport: client)

        let sightings = try await aws.instances(transport: client)
            .filter { [orphanNode, foreignNode].contains($0.nodeID) }
            .map { InstanceSighting(nativeID: $0.nativeID, nodeID: $0.nodeID, status: .running) }
        let actions = Reconciliation.plan(
            Reconciliation.Inputs(
                nodes: [], instances: sightings, knownNodeIDs: [orphanNode], listedAt: Date(),
                launchTimeout: .seconds(600)))
        #expect(actions == [.terminateOrphan(nativeID: orphan.nativeID, nodeID: orphanNode)])
        for case .terminateOrphan(let native, _) in actions {
            try await aws.terminate(nativeID: native, transport: client)
        }
        let after = Dictionary(
            try await aws.instances(transport: client).map { ($0.nativeID, $0.status) },
            uniquingKeysWith: { first, _ in first })
        #expect([.terminated, .stopping].contains(after[orphan.nativeID]))
        #expect([.pending, .running].contains(after[foreign.nativeID]), "another broker's instance is left alone")
        try await aws.terminate(nativeID: foreign.nativeID, transport: client)
    }

    @Test("temporary credentials sign with their session token; without it, or with a wrong secret, moto refuses")
    func sessionToken() async throws {
        let temporary = moto.temporaryCredentials
        #expect(temporary.sessionToken != nil)
        _ = try await provisioner(temporary).instances(transport: client)

        var withoutToken = temporary
        withoutToken.sessionToken = nil
        var wrongSecret = moto.credentials
        wrongSecret.secretAccessKey = "not-the-secret"
        for credentials in [withoutToken, wrongSecret] {
            let error = await #expect(throws: ProviderError.self) {
                _ = try await provisioner(credentials).instances(transport: client)
            }
            #expect(error.map { "\($0)".contains("AuthFailure") } == true, "\(String(describing: error))")
            #expect(error.map { "\($0)".contains(credentials.secretAccessKey) } == false)
        }
    }
}

/// The moto server `scripts/lib/moto-server` started, from `GRIDBROKER_MOTO_*`.
struct MotoServer: Sendable {
    var url: String
    var credentials: AWSCredentials
    var temporaryCredentials: AWSCredentials

    static let current: MotoServer? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["GRIDBROKER_MOTO_URL"], let key = environment["GRIDBROKER_MOTO_ACCESS_KEY_ID"],
            let secret = environment["GRIDBROKER_MOTO_SECRET_ACCESS_KEY"],
            let temporaryKey = environment["GRIDBROKER_MOTO_TEMPORARY_ACCESS_KEY_ID"],
            let temporarySecret = environment["GRIDBROKER_MOTO_TEMPORARY_SECRET_ACCESS_KEY"],
            let token = environment["GRIDBROKER_MOTO_SESSION_TOKEN"]
        else { return nil }
        return MotoServer(
            url: url, credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret),
            temporaryCredentials: AWSCredentials(
                accessKeyID: temporaryKey, secretAccessKey: temporarySecret, sessionToken: token))
    }()

    /// A signed EC2 Query call in `region`, answered with its root element.
    func call(_ parameters: [(String, String)], region: String, client: CurlHTTPClient) async throws -> AWSXMLElement {
        let request = HTTPRequest(
            method: .post, url: url + "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Array(AWSQuery.encoded([("Version", AWSQuery.apiVersion)] + parameters).utf8))
        let signed = try SigV4Signer(credentials: credentials, region: region, service: "ec2").sign(request, at: Date())
        let response = try await client.execute(signed)
        try #require(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        return try AWSXMLParser.parse(response.body)
    }

    /// The `instancesSet/item` of `<region>/<instance id>`.
    func describe(_ nativeID: String, client: CurlHTTPClient) async throws -> AWSXMLElement {
        let (region, id) = try split(nativeID)
        let root = try await call(
            [("Action", "DescribeInstances"), ("InstanceId.1", id)], region: region, client: client)
        return try #require(
            root.child("reservationSet")?.children(named: "item").first?.child("instancesSet")?
                .children(named: "item").first)
    }

    /// The instance's `UserData`, decoded.
    func userData(of nativeID: String, client: CurlHTTPClient) async throws -> String {
        let (region, id) = try split(nativeID)
        let root = try await call(
            [("Action", "DescribeInstanceAttribute"), ("InstanceId", id), ("Attribute", "userData")], region: region,
            client: client)
        let encoded = try #require(root.child("userData")?.childText("value"))
        return String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
    }

    private func split(_ nativeID: String) throws -> (String, String) {
        let parts = nativeID.split(separator: "/").map(String.init)
        try #require(parts.count == 2)
        return (parts[0], parts[1])
    }
}

/// Counts the requests it passes on.
final class CountingTransport: HTTPTransport, Sendable {
    private let base: any HTTPTransport
    private let counter = Mutex(0)

    init(_ base: any HTTPTransport) { self.base = base }

    var count: Int { counter.withLock { $0 } }

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        counter.withLock { $0 += 1 }
        return try await base.execute(request)
    }
}
