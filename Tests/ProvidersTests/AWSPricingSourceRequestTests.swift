import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import Providers

@Suite("AWSPricingSource requests")
struct AWSPricingSourceRequestTests {
    @Test("one signed form POST of DescribeSpotPriceHistory per region, with every GPU type and StartTime = now")
    func requestShape() async throws {
        let transport = RecordedTransport(try AWSTestSupport.fixture("spot-price-history"))
        _ = try await AWSTestSupport.source().fetchOffers(transport: transport, now: AWSTestSupport.now)

        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == .post)
        #expect(request.url == "https://ec2.us-east-1.amazonaws.com/")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8")
        let query = request.formItems
        #expect(query["Action"] == "DescribeSpotPriceHistory")
        #expect(query["Version"] == "2016-11-15")
        #expect(query["ProductDescription.1"] == "Linux/UNIX")
        #expect(query["ProductDescription.2"] == "Linux/UNIX (Amazon VPC)")
        #expect(query["StartTime"] == "2026-11-21T15:30:00Z")
        #expect(query["MaxResults"] == "1000")
        #expect(query["NextToken"] == nil)
        let types = AWSInstanceType.gpuTypes.indices.compactMap { query["InstanceType.\($0 + 1)"] }
        #expect(types == AWSInstanceType.gpuTypes.map(\.name))
        #expect(query["InstanceType.\(AWSInstanceType.gpuTypes.count + 1)"] == nil)
        // Reserved characters are percent-encoded in the body itself.
        #expect(request.bodyString?.contains("ProductDescription.1=Linux%2FUNIX") == true)
        #expect(request.bodyString?.contains("StartTime=2026-11-21T15%3A30%3A00Z") == true)

        #expect(request.headers["X-Amz-Date"] == "20261121T153000Z")
        #expect(request.headers["X-Amz-Security-Token"] == nil)
        let authorization = try #require(request.headers["Authorization"])
        let prefix =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/ec2/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature="
        #expect(authorization.hasPrefix(prefix))
        let signature = authorization.dropFirst(prefix.count)
        #expect(signature.count == 64 && signature.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(!authorization.contains(AWSTestSupport.credentials.secretAccessKey))

        // The header signs exactly the URL that was sent.
        var unsigned = request
        unsigned.headers.remove(name: "Authorization")
        unsigned.headers.remove(name: "X-Amz-Date")
        let expected = try SigV4Signer(credentials: AWSTestSupport.credentials, region: "us-east-1", service: "ec2")
            .signature(for: unsigned, at: AWSTestSupport.now)
        #expect(authorization == expected.authorization)
    }

    @Test("the endpoint template names the region in host or path; each region signs its own scope")
    func endpointTemplate() async throws {
        let transport = RecordedTransport(try AWSTestSupport.fixture("spot-price-history-empty"))
        let source = AWSTestSupport.source(
            regions: ["us-east-1", "eu-central-1"], endpoint: "http://127.0.0.1:9400/aws/{region}")
        _ = try await source.fetchOffers(transport: transport, now: AWSTestSupport.now)

        let requests = transport.requests
        try #require(requests.count == 2)
        #expect(requests[0].url == "http://127.0.0.1:9400/aws/us-east-1/")
        #expect(requests[1].url == "http://127.0.0.1:9400/aws/eu-central-1/")
        #expect(requests[0].formItems["Action"] == "DescribeSpotPriceHistory")
        #expect(requests[0].path == "/aws/us-east-1/")
        #expect(
            requests[0].headers["Authorization"]?.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/ec2/aws4_request,") == true)
        #expect(
            requests[1].headers["Authorization"]?.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/eu-central-1/ec2/aws4_request,") == true)
    }

    @Test("temporary credentials send and sign X-Amz-Security-Token")
    func sessionToken() async throws {
        var credentials = AWSTestSupport.credentials
        credentials.sessionToken = "FQoGZXIvYXdzEXAMPLETOKEN/+="
        let transport = RecordedTransport(try AWSTestSupport.fixture("spot-price-history-empty"))
        _ = try await AWSTestSupport.source(credentials: credentials)
            .fetchOffers(transport: transport, now: AWSTestSupport.now)
        let request = try #require(transport.lastRequest)
        #expect(request.headers["X-Amz-Security-Token"] == "FQoGZXIvYXdzEXAMPLETOKEN/+=")
        #expect(
            request.headers["Authorization"]?.contains(
                "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,") == true)
    }

    @Test("pagination: NextToken is sent back until a page has none; offers of every page are kept")
    func pagination() async throws {
        let transport = RecordedTransport(replies: [
            .response(try AWSTestSupport.fixture("spot-price-history-page1")),
            .response(try AWSTestSupport.fixture("spot-price-history-page2")),
        ])
        let snapshot = try await AWSTestSupport.source(regions: ["eu-central-1"])
            .fetchOffers(transport: transport, now: AWSTestSupport.now)

        let requests = transport.requests
        try #require(requests.count == 2)
        #expect(requests[0].formItems["NextToken"] == nil)
        #expect(requests[1].formItems["NextToken"] == "eyJ2IjoiMiIsImMiOiJ4UmRvK1Y2a2d3PT0iLCJzIjoiMSJ9/+Page2==")
        #expect(
            requests[1].bodyString?.contains(
                "NextToken=eyJ2IjoiMiIsImMiOiJ4UmRvK1Y2a2d3PT0iLCJzIjoiMSJ9%2F%2BPage2%3D%3D")
                == true)
        #expect(requests[1].formItems["StartTime"] == requests[0].formItems["StartTime"])
        #expect(requests[0].headers["Authorization"] != requests[1].headers["Authorization"])

        #expect(
            snapshot.offers.map(\.id.description) == [
                "aws:p4de.24xlarge:eu-central-1a:spot", "aws:g6.xlarge:eu-central-1b:spot",
                "aws:g6.xlarge:eu-central-1c:spot",
            ])
        #expect(snapshot.offers.map(\.pricePerHour.microdollars) == [14_203_300, 286_400, 301_900])
        #expect(snapshot.offers.allSatisfy { $0.country == "DE" })
    }

    @Test("a server that repeats its NextToken is malformed, not an endless loop")
    func repeatedToken() async throws {
        let page = AWSTestSupport.answer(
            [("g5.xlarge", "us-east-1a", "0.4", "2026-11-21T15:00:00.000Z")], nextToken: "same")
        let transport = RecordedTransport(page)
        let error = await AWSTestSupport.pollError(AWSTestSupport.source(), transport)
        guard case .malformed(let message) = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
        #expect(message.contains("us-east-1"))
        #expect(transport.requests.count == 2)
    }

    @Test("missing credentials or regions are misconfigured, and nothing is sent")
    func misconfigured() async throws {
        let cases: [AWSPricingSource] = [
            AWSTestSupport.source(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "")),
            AWSTestSupport.source(credentials: AWSCredentials(accessKeyID: " ", secretAccessKey: "secret")),
            AWSTestSupport.source(regions: []),
            AWSTestSupport.source(regions: ["us-east-1/../x"]),
            AWSTestSupport.source(endpoint: "ec2.{region}.amazonaws.com"),
        ]
        for source in cases {
            let transport = RecordedTransport(try AWSTestSupport.fixture("spot-price-history-empty"))
            let error = await AWSTestSupport.pollError(source, transport)
            guard case .misconfigured = error else {
                Issue.record("expected .misconfigured for \(source), got \(String(describing: error))")
                continue
            }
            #expect(transport.requests.isEmpty)
        }
    }

    @Test("credentials never print their secret or session token")
    func credentialsRedacted() {
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "s3cr3t-KEY-value", sessionToken: "t0ken-VALUE")
        let source = AWSTestSupport.source(credentials: credentials)
        var dumped = ""
        dump(credentials, to: &dumped)
        var dumpedSource = ""
        dump(source, to: &dumpedSource)
        let texts = [
            "\(credentials)", String(reflecting: credentials), dumped, "\(source)", String(reflecting: source),
            dumpedSource, "\([credentials])",
        ]
        for text in texts {
            #expect(!text.contains("s3cr3t-KEY-value"), "\(text)")
            #expect(!text.contains("t0ken-VALUE"), "\(text)")
        }
        #expect("\(credentials)".contains("AKIDEXAMPLE"))
    }
}
