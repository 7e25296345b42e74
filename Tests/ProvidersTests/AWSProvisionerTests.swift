import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("AWS EC2 provisioning")
struct AWSProvisionerTests {
    private let provisioner = AWSProvisioner(
        providerID: "aws", endpoint: "http://127.0.0.1:9400/aws/{region}", regions: ["us-east-1", "us-west-2"],
        credentials: AWSTestSupport.credentials, imageID: "ami-0abcdef1234567890", now: { AWSTestSupport.now })

    private func transport(_ answers: [(String, Int)]) throws -> RecordedTransport {
        try Provisioning.transport(answers, provider: "aws", ext: "xml")
    }

    /// The form fields of a Query API `POST`.
    private func form(_ request: HTTPRequest?) throws -> [String: String] {
        let body = try #require(request?.bodyString)
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try #require(String(parts[0]).removingPercentEncoding)
            fields[name] = try #require(String(parts.count > 1 ? parts[1] : "").removingPercentEncoding)
        }
        return fields
    }

    /// Checks `request` carries a valid SigV4 signature (body included) for `region`.
    private func expectSigned(_ request: HTTPRequest, region: String) throws {
        var unsigned = request
        unsigned.headers.remove(name: "Authorization")
        unsigned.headers.remove(name: "X-Amz-Date")
        let expected = try SigV4Signer(credentials: AWSTestSupport.credentials, region: region, service: "ec2")
            .signature(for: unsigned, at: AWSTestSupport.now)
        #expect(request.headers.values(for: "Authorization") == [expected.authorization])
        #expect(expected.authorization.contains("Credential=AKIDEXAMPLE/20261121/\(region)/ec2/aws4_request"))
        #expect(request.headers.values(for: "X-Amz-Date") == ["20261121T153000Z"])
    }

    private func launch(_ native: String, answer: String, status: Int = 200) async throws -> (
        Result<ProviderInstance, ProviderError>, RecordedTransport
    ) {
        let transport = try transport([(answer, status)])
        let request = Provisioning.request(
            provider: "aws", native: native, market: native.hasSuffix(":spot") ? .spot : .onDemand)
        do {
            return (.success(try await provisioner.launch(request, transport: transport)), transport)
        } catch {
            return (.failure(error), transport)
        }
    }

    @Test("a spot launch is a signed RunInstances with ClientToken, tags, zone, spot options and user data")
    func spotLaunchRequest() async throws {
        let (result, transport) = try await launch("p5.48xlarge:us-east-1a:spot", answer: "run-instances")
        #expect(
            try result.get()
                == ProviderInstance(
                    nativeID: "us-east-1/i-0598c7d356eba48d7", nodeID: Provisioning.nodeID, status: .pending))
        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .post)
        #expect(sent.url == "http://127.0.0.1:9400/aws/us-east-1/")
        #expect(sent.headers.values(for: "Content-Type") == ["application/x-www-form-urlencoded; charset=utf-8"])
        try expectSigned(sent, region: "us-east-1")
        let fields = try form(sent)
        #expect(fields["Action"] == "RunInstances")
        #expect(fields["Version"] == "2016-11-15")
        #expect(fields["ImageId"] == "ami-0abcdef1234567890")
        #expect(fields["InstanceType"] == "p5.48xlarge")
        #expect(fields["MinCount"] == "1" && fields["MaxCount"] == "1")
        #expect(fields["ClientToken"] == Provisioning.nodeID)
        #expect(fields["Placement.AvailabilityZone"] == "us-east-1a")
        #expect(fields["TagSpecification.1.ResourceType"] == "instance")
        #expect(fields["TagSpecification.1.Tag.1.Key"] == "gridbroker-node")
        #expect(fields["TagSpecification.1.Tag.1.Value"] == Provisioning.nodeID)
        #expect(fields["TagSpecification.1.Tag.2.Key"] == "Name")
        #expect(fields["TagSpecification.1.Tag.2.Value"] == "gridbroker-node_01JD3XQ7")
        #expect(fields["InstanceMarketOptions.MarketType"] == "spot")
        #expect(
            fields["InstanceMarketOptions.SpotOptions.MaxPrice"] == nil, "no bid: the spot price, at most on-demand")
        #expect(fields["InstanceMarketOptions.SpotOptions.SpotInstanceType"] == "one-time")
        #expect(fields["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"] == "terminate")
        let userData = try #require(fields["UserData"].flatMap { Data(base64Encoded: $0) })
        let script = String(decoding: userData, as: UTF8.self)
        try Provisioning.expectBootScript(script)
        #expect(sent.retry.maxAttempts > 1, "ClientToken makes a retried launch safe")
    }

    @Test("a spot launch that bids (a job's cap under the on-demand price) sends the bid as MaxPrice")
    func spotLaunchWithBid() async throws {
        let transport = try transport([("run-instances", 200)])
        let request = Provisioning.request(
            provider: "aws", native: "p5.48xlarge:us-east-1a:spot", market: .spot, bid: Money(microdollars: 20_500_000))
        _ = try await provisioner.launch(request, transport: transport)
        let sent = try #require(transport.lastRequest)
        #expect(try form(sent)["InstanceMarketOptions.SpotOptions.MaxPrice"] == "20.5")
    }

    @Test("an on-demand launch goes to the offer's region, with no zone and no spot options")
    func onDemandLaunch() async throws {
        let (result, transport) = try await launch("p5.48xlarge:us-west-2:on_demand", answer: "run-instances")
        #expect(try result.get().nativeID == "us-west-2/i-0598c7d356eba48d7")
        let sent = try #require(transport.lastRequest)
        #expect(sent.url == "http://127.0.0.1:9400/aws/us-west-2/")
        try expectSigned(sent, region: "us-west-2")
        let fields = try form(sent)
        #expect(fields["Placement.AvailabilityZone"] == nil)
        #expect(fields["InstanceMarketOptions.MarketType"] == nil)
    }

    @Test(
        "capacity errors map to the scope they cover",
        arguments: [
            ("error-insufficient-instance-capacity", "InsufficientInstanceCapacity", CapacityScope.region),
            ("error-spot-max-price-too-low", "SpotMaxPriceTooLow", CapacityScope.offer),
            ("error-vcpu-limit-exceeded", "VcpuLimitExceeded", CapacityScope.region),
        ])
    func capacity(fixture: String, code: String, scope: CapacityScope) async throws {
        let (result, _) = try await launch("p5.48xlarge:us-east-1a:spot", answer: fixture, status: 400)
        guard case .failure(.insufficientCapacity(let found, let message)) = result else {
            Issue.record("expected a capacity refusal, got \(result)")
            return
        }
        #expect(found == scope)
        #expect(message.hasPrefix("\(code): "), "the code, then EC2's message")
    }

    @Test("EC2's own error code and message reach the operator")
    func errorEnvelope() async throws {
        let (result, _) = try await launch("p5.48xlarge:us-east-1a:spot", answer: "error-invalid-ami", status: 400)
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(
            error
                == .api(
                    code: "InvalidAMIID.NotFound", message: "The image id '[ami-0abcdef1234567890]' does not exist"))
    }

    @Test(
        "offer ids that are not AWS's, or outside the configured regions, are refused before any request",
        arguments: [
            "p5.48xlarge", "p5.48xlarge:us-east-1a", "p5.48xlarge:us-east-1a:reserved", ":us-east-1a:spot",
            "p5.48xlarge:eu-central-1a:spot", "p5.48xlarge:eu-central-1:on_demand",
        ])
    func refusedOfferID(native: String) async throws {
        let (result, transport) = try await launch(native, answer: "run-instances")
        guard case .failure(.misconfigured) = result else {
            Issue.record("expected misconfigured, got \(result)")
            return
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("listing asks every region for tagged instances, follows NextToken, keeps tagged ones, maps states")
    func listing() async throws {
        let transport = try transport([
            ("describe-instances-page1", 200), ("describe-instances-page2", 200), ("describe-instances-west", 200),
        ])
        let instances = try await provisioner.instances(transport: transport)
        #expect(
            instances == [
                ProviderInstance(nativeID: "us-east-1/i-0598c7d356eba48d7", nodeID: "node_01JD3XQ7", status: .running),
                ProviderInstance(nativeID: "us-east-1/i-0598c7d356eba48d8", nodeID: "node_01JD3XR2", status: .pending),
                ProviderInstance(nativeID: "us-east-1/i-0598c7d356eba48d9", nodeID: "node_01JD3XR3", status: .stopping),
                ProviderInstance(
                    nativeID: "us-east-1/i-0598c7d356eba48da", nodeID: "node_01JD3XR4", status: .terminated),
                ProviderInstance(nativeID: "us-east-1/i-0598c7d356eba48db", nodeID: "node_01JD3XR5", status: .stopping),
                ProviderInstance(nativeID: "us-west-2/i-07a0000000000000b", nodeID: "node_01JD3XR6", status: .running),
            ])
        let requests = transport.requests
        #expect(
            requests.map(\.url) == [
                "http://127.0.0.1:9400/aws/us-east-1/", "http://127.0.0.1:9400/aws/us-east-1/",
                "http://127.0.0.1:9400/aws/us-west-2/",
            ])
        let first = try form(requests[0])
        #expect(first["Action"] == "DescribeInstances")
        #expect(first["Filter.1.Name"] == "tag-key")
        #expect(first["Filter.1.Value.1"] == "gridbroker-node")
        #expect(first["NextToken"] == nil)
        #expect(try form(requests[1])["NextToken"] == "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9")
        #expect(try form(requests[2])["NextToken"] == nil)
        try expectSigned(requests[2], region: "us-west-2")
    }

    @Test("a region's failure names the region")
    func listingFailure() async throws {
        let transport = try transport([("describe-instances-empty", 200), ("error-auth-failure", 401)])
        let error = await Provisioning.error { _ = try await provisioner.instances(transport: transport) }
        #expect(
            error
                == .api(
                    code: "AuthFailure",
                    message: "region us-west-2: AWS was not able to validate the provided access credentials"))
    }

    @Test("terminate goes to the instance's region; an instance not found is already gone")
    func terminate() async throws {
        let transport = try transport([("terminate-instances", 200), ("error-instance-not-found", 400)])
        try await provisioner.terminate(nativeID: "us-west-2/i-0598c7d356eba48d7", transport: transport)
        try await provisioner.terminate(nativeID: "us-west-2/i-0598c7d356eba48d7", transport: transport)
        let sent = try #require(transport.requests.first)
        #expect(sent.url == "http://127.0.0.1:9400/aws/us-west-2/")
        try expectSigned(sent, region: "us-west-2")
        let fields = try form(sent)
        #expect(fields["Action"] == "TerminateInstances")
        #expect(fields["InstanceId.1"] == "i-0598c7d356eba48d7")
        #expect(transport.requests.count == 2)
    }

    @Test(
        "a native id that is not <region>/<instance id> is refused",
        arguments: ["i-0598c7d356eba48d7", "us-east-1/", "US/i-1"])
    func badNativeID(nativeID: String) async throws {
        let transport = try transport([("terminate-instances", 200)])
        let error = await Provisioning.error {
            try await provisioner.terminate(nativeID: nativeID, transport: transport)
        }
        guard case .misconfigured? = error else {
            Issue.record("expected misconfigured, got \(String(describing: error))")
            return
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("the secret key never appears in an error or in the provisioner's description")
    func secretNeverShown() async throws {
        let secret = AWSTestSupport.credentials.secretAccessKey
        let body =
            "<Response><Errors><Error><Code>AuthFailure</Code><Message>bad key \(secret)</Message></Error></Errors></Response>"
        let transport = RecordedTransport(status: 401, body: body)
        let error = await Provisioning.error { _ = try await provisioner.instances(transport: transport) }
        let description = try #require(error).description
        #expect(!description.contains(secret))
        #expect(description.contains("<redacted>"))
        #expect(!provisioner.description.contains(secret))
    }
}
