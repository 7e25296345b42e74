import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MarketSim

@Suite("The seeded market")
struct MarketTests {
    @Test("the market holds the configured number of offers, most of them on Vast", arguments: [2_000, 30_000])
    func size(total: Int) {
        let summary = makeSimulator(offers: total).summary
        #expect(abs(summary.totalOffers - total) <= total / 100)
        let vast = summary.offers[.vast] ?? 0
        #expect(vast > total * 8 / 10)
        for provider in SimulatedProvider.allCases {
            #expect((summary.offers[provider] ?? 0) > 0, "\(provider) has no offers")
        }
    }

    @Test("100,000 offers: generated, and the whole Vast market is listed in one answer")
    func large() async throws {
        let simulator = largeSimulator
        #expect(abs(simulator.summary.totalOffers - 100_000) <= 1_000)
        let listed = simulator.market.availableCounts(at: referenceDate.timeIntervalSince1970)[.vast] ?? 0
        try await withClient(simulator) { client in
            let response = try await client.execute(uri: "/vast/api/v0/bundles/", method: .post)
            let answer = try decode(VastAnswer.self, response.body)
            #expect(answer.offers.count == listed)
            #expect(listed > 80_000)
        }
    }

    @Test("same seed and time give identical answers; another seed gives different ones")
    func determinism() async throws {
        func answers(seed: UInt64) async throws -> [[UInt8]] {
            try await withClient(makeSimulator(seed: seed)) { client in
                [
                    bytes(try await client.execute(uri: "/vast/api/v0/bundles/", method: .post).body),
                    bytes(
                        try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(runpodQuery))
                            .body),
                    bytes(
                        try await client.execute(
                            uri: "/lambda/api/v1/instance-types", method: .get, headers: lambdaHeaders
                        ).body),
                    bytes(
                        try await client.execute(
                            uri: "/aws/us-west-2/?Action=DescribeSpotPriceHistory", method: .get, headers: awsHeaders
                        ).body),
                    bytes(
                        try await client.execute(
                            uri: "/shadeform/v1/instances/types", method: .get, headers: shadeformHeaders
                        ).body),
                ]
            }
        }
        let first = try await answers(seed: 7)
        let second = try await answers(seed: 7)
        let other = try await answers(seed: 8)
        #expect(first == second)
        for (index, body) in first.enumerated() {
            #expect(body != other[index], "provider answer \(index) does not depend on the seed")
        }
    }

    @Test("prices drift as the clock advances by hours, and stay within their bounds")
    func drift() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        let baseByID = Dictionary(uniqueKeysWithValues: simulator.market.vast.offers.map { ($0.id, $0) })
        try await withClient(simulator) { client in
            var previous: [Int: Double] = [:]
            var changed = 0
            var runpodPrices: Set<Double> = []
            for _ in 0..<48 {
                let offers = try decode(
                    VastAnswer.self, try await client.execute(uri: "/vast/api/v0/bundles/", method: .post).body
                ).offers
                for offer in offers {
                    let base = try #require(baseByID[offer.id]).basePrice
                    let amplitude = VastMarket.driftAmplitude
                    #expect(offer.dphBase >= (base * (1 - amplitude) * 10_000).rounded(.down) / 10_000)
                    #expect(offer.dphBase <= (base * (1 + amplitude) * 10_000).rounded(.up) / 10_000)
                    if let before = previous[offer.id], before != offer.dphBase { changed += 1 }
                    previous[offer.id] = offer.dphBase
                }
                let runpod = try decode(
                    RunPodAnswer.self,
                    try await client.execute(uri: "/runpod/graphql", method: .post, body: jsonBody(runpodQuery)).body)
                let h100 = try #require(runpod.data.gpuTypes.first { $0.id == "NVIDIA H100 80GB HBM3" })
                let secure = try #require(h100.securePrice)
                #expect((2.99 * 0.9 - 0.01...2.99 * 1.1 + 0.01).contains(secure))
                runpodPrices.insert(secure)
                clock.advance(by: 3_600)
            }
            #expect(changed > previous.count)
            #expect(runpodPrices.count > 3)
        }
    }

    @Test("Vast capacity runs out and comes back: offers leave the listing and return")
    func capacity() {
        let simulator = makeSimulator()
        let market = simulator.market.vast
        let start = referenceDate.timeIntervalSince1970
        let listings = (0..<12).map { hour in
            Set(market.offers.filter { market.isListed($0, at: start + Double(hour) * 7_200) }.map(\.id))
        }
        let all = Set(market.offers.map(\.id))
        for listing in listings {
            #expect(listing.count < all.count)
            #expect(listing.count > all.count * 3 / 4)
        }
        let goneThenBack = all.filter { id in
            let presence = listings.map { $0.contains(id) }
            guard let gone = presence.firstIndex(of: false) else { return false }
            return presence[gone...].contains(true)
        }
        #expect(!goneThenBack.isEmpty)
    }

    @Test("the price drift factor is bounded for any time")
    func driftBounds() {
        let drift = PriceDrift(seed: 42)
        var random = SplitMix64(seed: 3)
        for _ in 0..<10_000 {
            let time = 1_700_000_000 + random.unit() * 100_000_000
            let factor = drift.factor(key: random.next(), at: time, amplitude: 0.2)
            #expect((0.8...1.2).contains(factor))
        }
        #expect(abs(PriceDrift.sine(1.0) - 0.841_470_984_8) < 1e-6)
        #expect(abs(PriceDrift.sine(-4.0) - 0.756_802_495_3) < 1e-6)
    }
}
