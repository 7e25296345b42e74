import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("Vast.ai bundles")
struct VastTests {
    @Test("POST /api/v0/bundles/ answers {offers: [...]} with Vast's fields, cheapest first")
    func shape() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            try await client.execute(
                uri: "/vast/api/v0/bundles/", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(#"{"rentable": {"eq": true}, "limit": 200}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let answer = try decode(VastAnswer.self, response.body)
                #expect(answer.offers.count == 200)
                for offer in answer.offers {
                    #expect(offer.gpuTotalRam == offer.gpuRam * offer.numGpus)
                    #expect([1, 2, 4, 8].contains(offer.numGpus))
                    #expect(offer.minBid < offer.dphTotal)
                    #expect(offer.dphBase <= offer.dphTotal)
                    #expect((0.9...1).contains(offer.reliability2))
                    #expect(offer.verification == "verified")
                    #expect(offer.rentable && !offer.rented)
                    #expect(offer.askContractId == offer.id)
                    #expect(offer.startDate < referenceDate.timeIntervalSince1970)
                    #expect(offer.endDate > referenceDate.timeIntervalSince1970)
                    let country = offer.geolocation.suffix(2)
                    #expect(country.count == 2 && country.allSatisfy(\.isUppercase))
                }
                let prices = answer.offers.map(\.dphTotal)
                #expect(prices == prices.sorted())
                #expect(Set(answer.offers.map(\.id)).count == answer.offers.count)
            }
        }
    }

    @Test("the path works without the trailing slash, and as GET ?q=<json> like the vast CLI")
    func pathVariants() async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let withSlash = try await client.execute(
                uri: "/vast/api/v0/bundles/", method: .post, body: jsonBody(#"{"limit": 5}"#))
            let withoutSlash = try await client.execute(
                uri: "/vast/api/v0/bundles", method: .post, body: jsonBody(#"{"limit": 5}"#))
            let query = #"{"limit":5}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let get = try await client.execute(uri: "/vast/api/v0/bundles?q=\(query)&api_key=x", method: .get)
            let wrapped = try await client.execute(
                uri: "/vast/api/v0/search/asks/", method: .put,
                body: jsonBody(#"{"select_cols": ["*"], "q": {"limit": 5}}"#))
            #expect(withSlash.status == .ok)
            #expect(try decode(VastAnswer.self, withSlash.body).offers.count == 5)
            #expect(bytes(withSlash.body) == bytes(withoutSlash.body))
            #expect(bytes(withSlash.body) == bytes(get.body))
            #expect(bytes(withSlash.body) == bytes(wrapped.body))
        }
    }

    @Test("gpu_name eq, num_gpus gte, type bid and limit are honoured")
    func filters() async throws {
        let simulator = makeSimulator(offers: 20_000)
        try await withClient(simulator) { client in
            let query = #"""
                {"gpu_name": {"eq": "RTX 4090"}, "num_gpus": {"gte": 4}, "rentable": {"eq": true},
                 "type": "on-demand", "order": [["dph_total", "asc"]], "limit": 25}
                """#
            let response = try await client.execute(uri: "/vast/api/v0/bundles/", method: .post, body: jsonBody(query))
            let offers = try decode(VastAnswer.self, response.body).offers
            #expect(offers.count == 25)
            #expect(offers.allSatisfy { $0.gpuName == "RTX 4090" && $0.numGpus >= 4 })
            #expect(offers.map(\.dphTotal) == offers.map(\.dphTotal).sorted())

            // Without a limit every match comes back; the CLI's underscore spelling means the same.
            let all = try decode(
                VastAnswer.self,
                try await client.execute(
                    uri: "/vast/api/v0/bundles/", method: .post,
                    body: jsonBody(#"{"gpu_name": {"eq": "RTX_4090"}, "num_gpus": {"gte": 4}}"#)
                ).body
            ).offers
            #expect(all.count > 25)
            #expect(Array(all.prefix(25)).map(\.id) == offers.map(\.id))

            let bids = try decode(
                VastAnswer.self,
                try await client.execute(
                    uri: "/vast/api/v0/bundles/", method: .post,
                    body: jsonBody(#"{"type": "bid", "gpu_name": {"in": ["H100 SXM", "A100 SXM4"]}, "limit": 50}"#)
                ).body
            ).offers
            #expect(!bids.isEmpty)
            #expect(bids.allSatisfy { ["H100 SXM", "A100 SXM4"].contains($0.gpuName) })
            #expect(bids.map(\.minBid) == bids.map(\.minBid).sorted())

            let german = try decode(
                VastAnswer.self,
                try await client.execute(
                    uri: "/vast/api/v0/bundles/", method: .post,
                    body: jsonBody(#"{"geolocation": {"in": ["DE", "SE"]}, "reliability2": {"gt": 0.99}}"#)
                ).body
            ).offers
            #expect(!german.isEmpty)
            #expect(german.allSatisfy { ($0.geolocation.hasSuffix("DE") || $0.geolocation.hasSuffix("SE")) })
            #expect(german.allSatisfy { $0.reliability2 > 0.99 })
        }
    }

    @Test("a body that is not JSON is a 400 in Vast's error shape")
    func badQuery() async throws {
        try await withClient(makeSimulator()) { client in
            let response = try await client.execute(
                uri: "/vast/api/v0/bundles/", method: .post, body: jsonBody("{nope"))
            #expect(response.status == .badRequest)
            let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(object?["success"] as? Bool == false)
            #expect(object?["msg"] is String)
        }
    }

    @Test("Vast prices per GPU are in the ranges of their models")
    func realisticPrices() async throws {
        let simulator = makeSimulator(offers: 20_000)
        let offers = try await withClient(simulator) { client in
            try decode(
                VastAnswer.self, try await client.execute(uri: "/vast/api/v0/bundles/", method: .post).body
            ).offers
        }
        func perGPU(_ name: String) -> [Double] {
            offers.filter { $0.gpuName == name }.map { $0.dphBase / Double($0.numGpus) }
        }
        let h100 = perGPU("H100 SXM")
        let rtx4090 = perGPU("RTX 4090")
        #expect(!h100.isEmpty && !rtx4090.isEmpty)
        #expect(h100.allSatisfy { (1.7...4.1).contains($0) })
        #expect(rtx4090.allSatisfy { (0.25...0.81).contains($0) })
        let bidShare = offers.map { $0.minBid / $0.dphTotal }
        #expect(bidShare.allSatisfy { (0.29...0.71).contains($0) })
    }
}
