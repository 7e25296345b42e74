import Broker
import BrokerCore
import Foundation
import Store
import Testing

@testable import BrokerHTTP

@Suite("Searches, quotes and jobs written by hand say exactly what their Codable encoding says")
struct WrittenJSONTests {
    private static let seen = Date(timeIntervalSince1970: 1_795_000_000.5)

    private static func offer(
        _ native: String, dollars: Double, country: String?, reliability: Double?, seen: Date = seen
    ) -> Offer {
        Offer(
            id: OfferID(provider: "vast", native: native), gpu: GPUName(resolving: "H100 SXM", memoryGB: 80),
            gpuCount: 8, gpuMemoryGB: 80, interconnect: country == nil ? nil : "nvlink", vcpus: 96, memoryGB: 1024,
            diskGB: 2000, region: "Utah, US \"west\"", country: country, market: .spot,
            pricePerHour: Money(dollars: dollars)!, available: 2, reliability: reliability, firstSeenAt: seen,
            lastSeenAt: seen, raw: nil)
    }

    private static let offers = [
        offer("1", dollars: 14.32, country: "DE", reliability: 0.987),
        offer("2", dollars: 8, country: nil, reliability: nil, seen: seen.addingTimeInterval(-30)),
        offer("3/ä", dollars: 0.000001, country: "US", reliability: 1),
    ]

    /// What the daemon writes and what the client model encodes to, both parsed: key order and
    /// number spelling may differ, the values may not.
    private func same(_ value: some JSONWritable, as model: some Encodable) throws {
        var writer = JSONWriter()
        value.write(to: &writer)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let written = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary
        let encoded = try JSONSerialization.jsonObject(with: try encoder.encode(model)) as? NSDictionary
        #expect(written != nil)
        #expect(written == encoded)
    }

    @Test func offerPages() throws {
        // From the book's JSON heads, cheapest first: seen at one time, another, the first again.
        let book = OfferBook(offers: Self.offers)
        let page = book.search(OfferFilter(), limit: 10)
        #expect(page.offers.map(\.id.native) == ["3/ä", "2", "1"])
        try same(
            OfferPageJSON(page: page, nextCursor: "abc"),
            as: OfferListResponse(offers: page.offers.map(OfferResponse.init), nextCursor: "abc"))
        let none = book.search(OfferFilter(minGPUs: 16), limit: 10)
        try same(OfferPageJSON(page: none, nextCursor: nil), as: OfferListResponse(offers: [], nextCursor: nil))
    }

    /// A job, its spec and its node as the API wrote them with `JSONEncoder` before they wrote
    /// themselves: the spec as the job's encoding, a node's missing members left out, a job's null.
    @Test func jobsWithTheirSpecAndNodes() throws {
        let submitted =
            #"{"name": "llm", "resources": {"gpu": ["H100"], "gpus_per_node": 8, "nodes": 2}, "#
            + #""dataset": {"uri": "s3://bucket/data/", "shards": 64}, "deadline": "2026-12-24T00:00:00Z", "#
            + #""max_price_per_hour": 40.5, "image": "ghcr.io/team/train:1", "command": ["python", "train.py"]}"#
        let spec = try JobSpec.decode(json: Array(submitted.utf8), catalog: .standard, now: Self.seen)
        let specJSON = try JSONEncoder().encode(spec)
        var job = JobRecord(
            id: "job_1", teamId: "team_1", name: "llm", spec: String(decoding: specJSON, as: UTF8.self),
            createdAt: Self.seen)
        job.startedAt = Self.seen.addingTimeInterval(60)
        var node = NodeRecord(id: "node_1", jobID: job.id, rank: 0, offer: Self.offers[0], requestedAt: Self.seen)
        node.reason = "booting"
        let response = JobResponse(
            job, spec: JobSpecCache(catalog: .standard).entry(for: job), nodes: [node], now: Self.seen,
            shards: (total: 64, done: 5))
        var writer = JSONWriter()
        JobListResponse(jobs: [response], nextCursor: nil).write(to: &writer)

        let page = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        #expect(page["next_cursor"] is NSNull)
        let written = try #require((page["jobs"] as? [[String: Any]])?.first)
        #expect(written["spec"] as? NSDictionary == (try JSONSerialization.jsonObject(with: specJSON) as? NSDictionary))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let encodedNode = try JSONSerialization.jsonObject(with: try encoder.encode(response.nodes[0])) as? NSDictionary
        #expect((written["nodes"] as? [NSDictionary])?.first == encodedNode)
        #expect(encodedNode?["instance_id"] == nil)
        #expect(written["reason"] is NSNull && written["finished_at"] is NSNull)
        #expect(written["started_at"] as? String == "2026-11-18T11:07:40Z")
        #expect((written["shards"] as? [String: Int]) == ["total": 64, "done": 5])
        #expect(written["id"] as? String == "job_1" && written["state"] as? String == "queued")
    }

    @Test func aStoredSpecThatNoLongerDecodesIsWrittenAsNull() throws {
        let job = JobRecord(id: "job_2", teamId: "team_1", name: "old", spec: #"{"name": 1}"#, createdAt: Self.seen)
        var writer = JSONWriter()
        JobResponse(job, spec: JobSpecCache(catalog: .standard).entry(for: job), nodes: [], now: Self.seen)
            .write(to: &writer)
        let written = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        #expect(written["spec"] is NSNull)
        #expect((written["shards"] as? [String: Int]) == ["total": 0, "done": 0])
    }

    @Test func quotesWithPlacementsAndWithout() throws {
        let placement = Placement(
            market: .spot, gpu: try #require(GPUCatalog.standard.model(named: "H100-SXM")),
            nodes: [.init(rank: 0, offer: Self.offers[0]), .init(rank: 1, offer: Self.offers[1])],
            pricePerHour: Money(dollars: 22.32)!, estimatedHours: 3.456, estimatedCost: Money(dollars: 77.1)!)
        for quote in [
            Quote(placements: [placement], reason: nil),
            Quote(placements: [], reason: "no offer has 8 × H100 under $1.00/h"),
        ] {
            try same(QuoteJSON(quote: quote), as: QuoteResponse(quote))
        }
    }
}
