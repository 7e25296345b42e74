import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import Providers

@Suite("AWSPricingSource errors")
struct AWSPricingSourceErrorTests {
    private func error(_ response: HTTPResponse, regions: [String] = ["us-east-1"]) async -> ProviderError? {
        await AWSTestSupport.pollError(AWSTestSupport.source(regions: regions), RecordedTransport(response))
    }

    @Test("the Errors envelope becomes .api with AWS's code and message, naming the region")
    func authFailure() async throws {
        let error = await error(try AWSTestSupport.fixture("error-auth-failure", status: 401))
        #expect(
            error
                == .api(
                    code: "AuthFailure",
                    message: "region us-east-1: AWS was not able to validate the provided access credentials"))
    }

    @Test("an Errors envelope in a 200 answer is an error too")
    func envelopeWithOK() async throws {
        let error = await error(try AWSTestSupport.fixture("error-auth-failure", status: 200))
        guard case .api(let code, _) = error else {
            Issue.record("expected .api, got \(String(describing: error))")
            return
        }
        #expect(code == "AuthFailure")
    }

    @Test("throttling codes and 429 are rate limiting, with Retry-After when given")
    func throttling() async throws {
        #expect(
            await error(try AWSTestSupport.fixture("error-request-limit-exceeded", status: 503))
                == .rateLimited(retryAfterSeconds: nil))
        #expect(
            await error(
                try AWSTestSupport.fixture("error-request-limit-exceeded", status: 400, headers: ["Retry-After": "7"]))
                == .rateLimited(retryAfterSeconds: 7))
        let throttling = HTTPResponse(
            status: 400,
            body: Array(
                "<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></Errors></Response>"
                    .utf8))
        #expect(await error(throttling) == .rateLimited(retryAfterSeconds: nil))
        #expect(
            await error(HTTPResponse(status: 429, headers: ["Retry-After": "12"], body: Array("slow down".utf8)))
                == .rateLimited(retryAfterSeconds: 12))
    }

    @Test("other errors: .http with the region for a non-XML body, .unauthorized for a bare 403")
    func otherStatuses() async throws {
        #expect(
            await error(HTTPResponse(status: 500, body: Array("Internal Server Error".utf8)))
                == .http(status: 500, snippet: "region us-east-1: Internal Server Error"))
        #expect(await error(HTTPResponse(status: 403)) == .unauthorized(status: 403))
    }

    @Test("a transport failure names the region")
    func transportFailure() async {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "connection refused" }
        }
        let error = await AWSTestSupport.pollError(
            AWSTestSupport.source(), RecordedTransport(failing: Refused()))
        #expect(error == .transport("region us-east-1: connection refused"))
    }

    @Test("a body cut off halfway is malformed")
    func truncated() async throws {
        let half = try Fixture.truncated("spot-price-history", ext: "xml", provider: "aws")
        let error = await error(HTTPResponse(status: 200, body: half))
        guard case .malformed(let message) = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("region us-east-1: "))
    }

    @Test("a body cut off anywhere before its end tag is malformed, never a smaller success")
    func truncatedEverywhere() async throws {
        let full = try Fixture.bytes("spot-price-history", ext: "xml", provider: "aws")
        let text = String(decoding: full, as: UTF8.self)
        let closing = try #require(text.range(of: "</DescribeSpotPriceHistoryResponse>"))
        let end = text.utf8.distance(from: text.startIndex, to: closing.upperBound)
        try #require(end > 1000)
        for cut in stride(from: 0, to: end, by: 7) {
            let error = await error(HTTPResponse(status: 200, body: Array(full.prefix(cut))))
            guard case .malformed = error else {
                Issue.record("cut at \(cut): expected .malformed, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("well-formed XML of the wrong shape is malformed")
    func wrongShape() async {
        for body in [
            "<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse>",
            "<DescribeSpotPriceHistoryResponse><requestId>x</requestId></DescribeSpotPriceHistoryResponse>",
            "{\"spotPriceHistorySet\": []}",
            "",
        ] {
            let error = await error(HTTPResponse(status: 200, body: Array(body.utf8)))
            guard case .malformed = error else {
                Issue.record("\(body): expected .malformed, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("a region that fails fails the poll with that region's error")
    func secondRegionFails() async throws {
        let transport = RecordedTransport(replies: [
            .response(try AWSTestSupport.fixture("spot-price-history")),
            .response(try AWSTestSupport.fixture("error-auth-failure", status: 401)),
        ])
        let error = await AWSTestSupport.pollError(
            AWSTestSupport.source(regions: ["us-east-1", "eu-west-1", "ap-south-1"]), transport)
        #expect(
            error
                == .api(
                    code: "AuthFailure",
                    message: "region eu-west-1: AWS was not able to validate the provided access credentials"))
        #expect(transport.requests.count == 2)
    }
}
