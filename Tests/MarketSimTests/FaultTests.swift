import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("Fault injection and the control API")
struct FaultTests {
    /// One request per provider, as its adapter would make it.
    static func request(
        _ provider: SimulatedProvider, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        switch provider {
        case .vast:
            try await client.execute(uri: "/vast/api/v0/bundles/", method: .post, body: jsonBody(#"{"limit": 50}"#))
        case .runpod:
            try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(runpodQuery))
        case .lambda:
            try await client.execute(uri: "/lambda/api/v1/instance-types", method: .get, headers: lambdaHeaders)
        case .aws:
            try await client.execute(
                uri: "/aws/us-east-1/?Action=DescribeSpotPriceHistory", method: .get, headers: awsHeaders)
        case .shadeform:
            try await client.execute(uri: "/shadeform/v1/instances/types", method: .get, headers: shadeformHeaders)
        }
    }

    static func putFaults(_ provider: SimulatedProvider, _ json: String, _ client: some TestClientProtocol)
        async throws -> TestResponse
    {
        try await client.execute(uri: "/_sim/faults/\(provider.rawValue)", method: .put, body: jsonBody(json))
    }

    static func isWellFormed(_ response: TestResponse, _ provider: SimulatedProvider) -> Bool {
        if provider == .aws {
            let xml = text(response.body)
            return xml.hasSuffix("</DescribeSpotPriceHistoryResponse>") && !xml.contains("<<")
        }
        return isValidJSON(response.body)
    }

    @Test("rate_limit answers 429 with Retry-After; DELETE clears it", arguments: SimulatedProvider.allCases)
    func rateLimit(provider: SimulatedProvider) async throws {
        try await withClient(makeSimulator()) { client in
            let put = try await Self.putFaults(provider, #"{"rate_limit": {"retry_after_s": 2}}"#, client)
            #expect(put.status == .ok)
            let limited = try await Self.request(provider, client)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "2")
            #expect(limited.body.readableBytes > 0)

            let delete = try await client.execute(uri: "/_sim/faults/\(provider.rawValue)", method: .delete)
            #expect(delete.status == .noContent)
            let normal = try await Self.request(provider, client)
            #expect(normal.status == .ok)
            #expect(normal.headers[.retryAfter] == nil)
        }
    }

    @Test("error_rate 1.0 always answers 5xx in the provider's shape", arguments: SimulatedProvider.allCases)
    func errorRate(provider: SimulatedProvider) async throws {
        try await withClient(makeSimulator()) { client in
            _ = try await Self.putFaults(provider, #"{"error_rate": 1.0}"#, client)
            for _ in 0..<10 {
                let response = try await Self.request(provider, client)
                #expect((500...599).contains(response.status.code))
                if provider == .aws {
                    #expect(xmlValues("Code", in: text(response.body)).count == 1)
                } else {
                    #expect(isValidJSON(response.body))
                }
            }
            // Clearing with an empty plan works as well as DELETE.
            _ = try await Self.putFaults(provider, "{}", client)
            #expect(try await Self.request(provider, client).status == .ok)
        }
    }

    @Test("a partial error rate fails some requests, the same ones for the same seed")
    func partialErrorRate() async throws {
        func outcomes() async throws -> [Int] {
            try await withClient(makeSimulator(faults: [.lambda: FaultPlan(errorRate: 0.5)])) { client in
                var codes: [Int] = []
                for _ in 0..<40 { codes.append(try await Self.request(.lambda, client).status.code) }
                return codes
            }
        }
        let first = try await outcomes()
        #expect(first.contains(200))
        #expect(first.contains { $0 >= 500 })
        #expect(try await outcomes() == first)
    }

    @Test("malformed bodies are not valid JSON or XML", arguments: SimulatedProvider.allCases)
    func malformed(provider: SimulatedProvider) async throws {
        try await withClient(makeSimulator()) { client in
            #expect(Self.isWellFormed(try await Self.request(provider, client), provider))
            _ = try await Self.putFaults(provider, #"{"malformed": true}"#, client)
            let response = try await Self.request(provider, client)
            #expect(response.status == .ok)
            #expect(!Self.isWellFormed(response, provider))
            if provider == .aws {
                let parser = XMLValidityProbe(text(response.body))
                #expect(!parser.isValid)
            }
        }
    }

    @Test("truncated bodies are cut halfway, with a matching Content-Length", arguments: SimulatedProvider.allCases)
    func truncated(provider: SimulatedProvider) async throws {
        try await withClient(makeSimulator()) { client in
            let whole = try await Self.request(provider, client)
            _ = try await Self.putFaults(provider, #"{"truncated": true}"#, client)
            let cut = try await Self.request(provider, client)
            #expect(cut.status == .ok)
            #expect(cut.body.readableBytes == whole.body.readableBytes / 2)
            #expect(bytes(cut.body) == Array(bytes(whole.body).prefix(whole.body.readableBytes / 2)))
            #expect(cut.headers[.contentLength] == String(cut.body.readableBytes))
            #expect(!Self.isWellFormed(cut, provider))
        }
    }

    @Test("latency is applied and reported; the answer still arrives")
    func latency() async throws {
        try await withClient(makeSimulator()) { client in
            let put = try await Self.putFaults(.vast, #"{"latency_ms": 20}"#, client)
            let plan = try JSONDecoder().decode(FaultPlan.self, from: Data(put.body.readableBytesView))
            #expect(plan.latencyMilliseconds == 20)
            let reported = try JSONDecoder().decode(
                FaultPlan.self,
                from: Data(try await client.execute(uri: "/_sim/faults/vast", method: .get).body.readableBytesView))
            #expect(reported == FaultPlan(latencyMilliseconds: 20))
            let response = try await Self.request(.vast, client)
            #expect(response.status == .ok)
            #expect(isValidJSON(response.body))
        }
    }

    @Test("faults from the configuration apply from the start and only to their provider")
    func configuredFaults() async throws {
        let simulator = makeSimulator(faults: [.aws: FaultPlan(rateLimit: .init(retryAfterSeconds: 30))])
        try await withClient(simulator) { client in
            let aws = try await Self.request(.aws, client)
            #expect(aws.status == .tooManyRequests)
            #expect(aws.headers[.retryAfter] == "30")
            #expect(try await Self.request(.vast, client).status == .ok)
        }
    }

    @Test("the control API: health, market summary, fault validation")
    func control() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let health = try await client.execute(uri: "/_sim/health", method: .get)
            #expect(health.status == .ok)
            #expect(text(health.body) == #"{"status":"ok"}"#)

            let market = try await client.execute(uri: "/_sim/market", method: .get)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(market.body.readableBytesView)) as? [String: Any])
            #expect(object["total_offers"] as? Int == simulator.summary.totalOffers)
            let providers = try #require(object["providers"] as? [String: [String: Any]])
            #expect(Set(providers.keys) == Set(SimulatedProvider.allCases.map(\.rawValue)))
            for provider in SimulatedProvider.allCases {
                let entry = try #require(providers[provider.rawValue])
                #expect(entry["offers"] as? Int == simulator.summary.offers[provider])
                #expect((entry["available"] as? Int ?? -1) <= (entry["offers"] as? Int ?? 0))
            }

            #expect(try await Self.putFaults(.vast, #"{"error_rate": 1.5}"#, client).status == .badRequest)
            #expect(try await Self.putFaults(.vast, "not json", client).status == .badRequest)
            #expect(
                try await client.execute(uri: "/_sim/faults/azure", method: .put, body: jsonBody("{}")).status
                    == .notFound)
            #expect(simulator.faultPlan(for: .vast) == .none)
        }
    }
}

/// Foundation's XML parser as a validity check (where FoundationXML is available).
struct XMLValidityProbe {
    var isValid: Bool

    init(_ text: String) {
        // A hand check: balanced angle brackets and a closing root element.
        let opens = text.filter { $0 == "<" }.count
        let closes = text.filter { $0 == ">" }.count
        isValid = opens == closes && text.hasSuffix("</DescribeSpotPriceHistoryResponse>")
    }
}
