import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("AWS EC2 DescribeSpotPriceHistory")
struct AWSTests {
    private func items(_ xml: String) -> [String] {
        zip(xmlValues("instanceType", in: xml), xmlValues("availabilityZone", in: xml)).map { "\($0)@\($1)" }
    }

    @Test("the answer is EC2's XML with one item per (type, zone) of the region")
    func shape() async throws {
        try await withClient(largeSimulator) { client in
            let response = try await client.execute(
                uri: "/aws/us-east-1/?Action=DescribeSpotPriceHistory&Version=2016-11-15", method: .get,
                headers: awsHeaders)
            #expect(response.status == .ok)
            let xml = text(response.body)
            #expect(
                xml.contains("<DescribeSpotPriceHistoryResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"))
            #expect(xmlValues("requestId", in: xml).count == 1)
            let zones = xmlValues("availabilityZone", in: xml)
            #expect(!zones.isEmpty)
            #expect(zones.allSatisfy { $0.hasPrefix("us-east-1") && $0.count == 10 })
            #expect(xmlValues("productDescription", in: xml).allSatisfy { $0 == "Linux/UNIX" })
            #expect(xmlValues("timestamp", in: xml).allSatisfy { $0.hasSuffix(".000Z") && $0.count == 24 })
            let prices = xmlValues("spotPrice", in: xml)
            #expect(prices.allSatisfy { $0.split(separator: ".").last?.count == 6 && Double($0) != nil })
            #expect(Set(items(xml)).count == zones.count)
            #expect(!xml.contains("<nextToken>"))
        }
    }

    @Test("InstanceType.N filters; p5.48xlarge spot is $25-70/h")
    func instanceTypeFilter() async throws {
        try await withClient(largeSimulator) { client in
            let response = try await client.execute(
                uri: "/aws/us-east-1/", method: .post, headers: awsHeaders,
                body: jsonBody(
                    "Action=DescribeSpotPriceHistory&Version=2016-11-15&InstanceType.1=p5.48xlarge"
                        + "&InstanceType.2=g5.xlarge&ProductDescription.1=Linux%2FUNIX"))
            let xml = text(response.body)
            let types = Set(xmlValues("instanceType", in: xml))
            #expect(!types.isEmpty)
            #expect(types.isSubset(of: ["p5.48xlarge", "g5.xlarge"]))
            let p5 = zip(xmlValues("instanceType", in: xml), xmlValues("spotPrice", in: xml))
                .filter { $0.0 == "p5.48xlarge" }.compactMap { Double($0.1) }
            #expect(!p5.isEmpty)
            #expect(p5.allSatisfy { (25...70).contains($0) })
        }
    }

    @Test("MaxResults/NextToken pagination returns every item exactly once")
    func pagination() async throws {
        try await withClient(largeSimulator) { client in
            let everything = items(
                text(
                    try await client.execute(
                        uri: "/aws/us-east-1?Action=DescribeSpotPriceHistory", method: .get, headers: awsHeaders
                    ).body))
            #expect(everything.count > 20)
            var collected: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var form = "Action=DescribeSpotPriceHistory&MaxResults=7"
                if let token {
                    form += "&NextToken=" + token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                }
                let response = try await client.execute(
                    uri: "/aws/us-east-1/", method: .post, headers: awsHeaders, body: jsonBody(form))
                #expect(response.status == .ok)
                let xml = text(response.body)
                let page = items(xml)
                #expect(page.count <= 7)
                collected += page
                token = xmlValues("nextToken", in: xml).first
                pages += 1
            } while token != nil && pages < 1_000
            #expect(pages == (everything.count + 6) / 7)
            #expect(collected == everything)
            #expect(Set(collected).count == collected.count)

            let bad = try await client.execute(
                uri: "/aws/us-east-1/?Action=DescribeSpotPriceHistory&NextToken=garbage", method: .get,
                headers: awsHeaders)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("an unknown Action is InvalidAction in EC2's error envelope, 400")
    func unknownAction() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(
                uri: "/aws/eu-central-1/?Action=StartInstances", method: .get, headers: awsHeaders)
            #expect(response.status == .badRequest)
            let xml = text(response.body)
            #expect(xml.contains("<Response><Errors><Error><Code>InvalidAction</Code>"))
            #expect(xmlValues("RequestID", in: xml).count == 1)
        }
    }

    @Test("a request without a SigV4 Authorization header is AuthFailure, 401")
    func authFailure() async throws {
        try await withClient(makeSimulator()) { client in
            for headers: HTTPFields in [
                [:], [.authorization: "Bearer nope"], [.authorization: "AWS4-HMAC-SHA256 Signature=x"],
            ] {
                let response = try await client.execute(
                    uri: "/aws/us-east-1/?Action=DescribeSpotPriceHistory", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(xmlValues("Code", in: text(response.body)) == ["AuthFailure"])
            }
        }
    }
}
