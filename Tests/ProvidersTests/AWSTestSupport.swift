import BrokerCore
import CurlHTTP
import Foundation

@testable import Providers

/// Shared values for the AWS adapter's tests.
enum AWSTestSupport {
    /// 2026-11-21T15:30:00Z, the poll time of every AWS test.
    static let now = Date(timeIntervalSince1970: 1_795_275_000)

    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static func source(
        regions: [String] = ["us-east-1"],
        endpoint: String = AWSPricingSource.defaultEndpoint,
        credentials: AWSCredentials = credentials,
        onDemandPrices: [String: Money] = [:],
        maxInstances: [String: Int]? = nil
    ) -> AWSPricingSource {
        // One instance per region unless a test says otherwise: no Service Quotas calls.
        AWSPricingSource(
            providerID: "aws", endpoint: endpoint, regions: regions, credentials: credentials,
            onDemandPrices: onDemandPrices,
            maxInstances: maxInstances ?? Dictionary(uniqueKeysWithValues: regions.map { ($0, 1) }))
    }

    /// A recorded answer from `Fixtures/aws/<name>.xml`.
    static func fixture(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: try Fixture.bytes(name, ext: "xml", provider: "aws"))
    }

    /// A `DescribeSpotPriceHistory` answer with `items` (type, zone, price, timestamp).
    static func answer(_ items: [(String, String, String, String)], nextToken: String? = nil) -> HTTPResponse {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\
            <requestId>00000000-0000-4000-8000-000000000000</requestId><spotPriceHistorySet>
            """
        for (type, zone, price, timestamp) in items {
            xml += "<item><instanceType>\(type)</instanceType><productDescription>Linux/UNIX</productDescription>"
            xml += "<spotPrice>\(price)</spotPrice><timestamp>\(timestamp)</timestamp>"
            xml += "<availabilityZone>\(zone)</availabilityZone></item>\n"
        }
        xml += "</spotPriceHistorySet><nextToken>\(nextToken ?? "")</nextToken></DescribeSpotPriceHistoryResponse>"
        return HTTPResponse(status: 200, body: Array(xml.utf8))
    }

    /// Runs a poll and returns the error it throws, or nil when it succeeds.
    static func pollError(_ source: AWSPricingSource, _ transport: RecordedTransport) async -> ProviderError? {
        do {
            _ = try await source.fetchOffers(transport: transport, now: now)
            return nil
        } catch {
            return error
        }
    }
}
