import BrokerCore
import Foundation
import Testing

@testable import BrokerHTTP

@Suite("Searches and quotes written by hand say exactly what their Codable encoding says")
struct WrittenJSONTests {
    private static let seen = Date(timeIntervalSince1970: 1_795_000_000.5)

    private static func offer(_ native: String, dollars: Double, country: String?, reliability: Double?) -> Offer {
        Offer(
            id: OfferID(provider: "vast", native: native), gpu: GPUName(resolving: "H100 SXM", memoryGB: 80),
            gpuCount: 8, gpuMemoryGB: 80, interconnect: country == nil ? nil : "nvlink", vcpus: 96, memoryGB: 1024,
            diskGB: 2000, region: "Utah, US \"west\"", country: country, market: .spot,
            pricePerHour: Money(dollars: dollars)!, available: 2, reliability: reliability, firstSeenAt: seen,
            lastSeenAt: seen, raw: nil)
    }

    private static let offers = [
        offer("1", dollars: 14.32, country: "DE", reliability: 0.987),
        offer("2", dollars: 8, country: nil, reliability: nil),
        offer("3/ä", dollars: 0.000001, country: "US", reliability: 1),
    ]

    /// Both encodings, parsed: key order and number spelling may differ, the values may not.
    private func same<Value: JSONWritable & Encodable>(_ value: Value) throws {
        var writer = JSONWriter()
        value.write(to: &writer)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let written = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary
        let encoded = try JSONSerialization.jsonObject(with: try encoder.encode(value)) as? NSDictionary
        #expect(written != nil)
        #expect(written == encoded)
    }

    @Test func offerPages() throws {
        try same(OfferListResponse(offers: Self.offers.map(OfferResponse.init), nextCursor: "abc"))
        try same(OfferListResponse(offers: [], nextCursor: nil))
    }

    @Test func quotesWithPlacementsAndWithout() throws {
        let placement = Placement(
            market: .spot, gpu: try #require(GPUCatalog.standard.model(named: "H100-SXM")),
            nodes: [.init(rank: 0, offer: Self.offers[0]), .init(rank: 1, offer: Self.offers[1])],
            pricePerHour: Money(dollars: 22.32)!, estimatedHours: 3.456, estimatedCost: Money(dollars: 77.1)!)
        try same(QuoteResponse(Quote(placements: [placement], reason: nil)))
        try same(QuoteResponse(Quote(placements: [], reason: "no offer has 8 × H100 under $1.00/h")))
    }
}
