import BrokerCore
import Foundation
import Testing

@Suite("The in-memory offer book: search, pages, polls and expiry, GPU summary")
struct OfferBookTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func offer(
        _ provider: String, _ native: String, gpu: String = "H100-SXM", count: Int = 8, dollars: Double,
        market: Market = .onDemand, country: String? = "US", region: String = "r1", seenAt offset: Double = 0
    ) -> Offer {
        Offer(
            id: OfferID(provider: provider, native: native), gpu: GPUName(resolving: gpu), gpuCount: count,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 96, memoryGB: 1024, diskGB: 2000, region: region,
            country: country, market: market, pricePerHour: Money(dollars: dollars)!, available: 1, reliability: nil,
            firstSeenAt: start, lastSeenAt: start.addingTimeInterval(offset), raw: nil)
    }

    /// Every answer of the book equals a brute-force use of the filter's own definition.
    @Test(arguments: 0..<40)
    func searchAgreesWithBruteForce(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let gpus = ["H100-SXM", "A100-80GB", "RTX4090", "Voodoo 5"]
        let countries: [String?] = ["US", "DE", "FR", nil]
        let offers = (0..<120).map { index in
            offer(
                ["vast", "lambda", "aws"][index % 3], "o\(index)", gpu: gpus[random.next(4)],
                count: [1, 2, 4, 8][random.next(4)], dollars: Double(random.next(400)) / 10 + 0.01,
                market: random.next(2) == 0 ? .spot : .onDemand, country: countries[random.next(4)],
                region: ["r1", "r2"][random.next(2)])
        }
        let filter = OfferFilter(
            gpus: random.next(2) == 0 ? nil : Set(gpus.prefix(1 + random.next(3))),
            minGPUs: random.next(2) == 0 ? nil : [1, 2, 4, 8][random.next(4)],
            market: random.next(2) == 0 ? nil : .spot,
            maxPricePerHour: random.next(2) == 0 ? nil : Money(microdollars: Int64(random.next(40)) * 1_000_000),
            countries: random.next(2) == 0 ? nil : ["US", "DE"],
            regions: random.next(3) == 0 ? ["r1"] : nil,
            providers: random.next(3) == 0 ? ["vast", "aws"] : nil,
            sort: random.next(2) == 0 ? .price : .pricePerGPU)
        let book = OfferBook(offers: offers)
        let found = book.search(filter, limit: 1000).offers.map(\.id)
        let expected = offers.filter(filter.matches).sorted { filter.orders($0, before: $1) }.map(\.id)
        #expect(found == expected)
        #expect(book.first(filter)?.id == expected.first)
        let page = book.search(filter, limit: 3)
        #expect(page.offers.map(\.id) == Array(expected.prefix(3)))
        #expect(page.more == (expected.count > 3))
    }

    @Test(arguments: [OfferFilter.Sort.price, .pricePerGPU])
    func pagesFollowEachOtherWithoutGapsOrRepeats(sort: OfferFilter.Sort) {
        let offers = (0..<25).map {
            offer("vast", String(format: "%02d", $0), count: 1 + $0 % 3, dollars: Double($0 % 5) + 1)
        }
        let book = OfferBook(offers: offers)
        let filter = OfferFilter(sort: sort)
        var seen: [OfferID] = []
        var cursor: OfferCursor?
        repeat {
            let page = book.search(filter, after: cursor, limit: 7)
            seen += page.offers.map(\.id)
            if page.more, let last = page.offers.last {
                let token = OfferCursor(after: last, in: filter).token
                cursor = OfferCursor(token: token)
                #expect(cursor != nil, "the page's own token must read back")
            } else {
                cursor = nil
            }
        } while cursor != nil
        #expect(seen == offers.sorted { filter.orders($0, before: $1) }.map(\.id))
    }

    @Test func cursorTokensThatTheBookDidNotMakeAreRejected() {
        #expect(OfferCursor(token: "zzz") == nil)
        #expect(OfferCursor(token: "") == nil)
        let cursor = OfferCursor(
            sortKey: Money(microdollars: 14_320_000), offerID: OfferID(provider: "vast", native: "7:spot"))
        #expect(OfferCursor(token: cursor.token) == cursor)
    }

    @Test func aPollReplacesItsProviderKeepsUnexpiredOffersAndLeavesOthersAlone() {
        let book = OfferBook(offers: [
            offer("vast", "1", dollars: 20), offer("vast", "2", dollars: 15), offer("lambda", "a", dollars: 30),
        ])
        // Vast's next poll lists 1 (cheaper) and 3; 2 was last seen before the cutoff.
        let next = book.updating(
            provider: "vast",
            seen: [offer("vast", "1", dollars: 12, seenAt: 400), offer("vast", "3", dollars: 9, seenAt: 400)],
            expiredBefore: start.addingTimeInterval(100))
        #expect(next.search(OfferFilter(), limit: 10).offers.map(\.id.description) == ["vast:3", "vast:1", "lambda:a"])
        #expect(next.offerCounts == ["vast": 2, "lambda": 1])

        // An unlisted offer still within its expiry stays.
        let kept = book.updating(provider: "vast", seen: [], expiredBefore: start)
        #expect(kept.offerCounts == ["vast": 2, "lambda": 1])

        // A failing provider's offers go once they are older than the cutoff.
        let failing = book.withdrawing(provider: "vast", before: start.addingTimeInterval(1))
        #expect(failing.offerCounts == ["lambda": 1])
        #expect(failing.count == 1)
    }

    /// Polls that reprice, move, drop, add and repeat offers leave the book answering exactly as a
    /// book built afresh from the offers that should be live.
    @Test(arguments: 0..<30)
    func pollsChangeOnlyWhatChangedAndAgreeWithARebuiltBook(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let gpus = ["H100-SXM", "A100-80GB", "RTX4090"]
        func randomOffer(_ provider: String, _ index: Int, seenAt: Double) -> Offer {
            offer(
                provider, "o\(index)", gpu: gpus[random.next(3)], count: [1, 8][random.next(2)],
                dollars: Double(1 + random.next(30)), market: random.next(2) == 0 ? .spot : .onDemand,
                seenAt: seenAt)
        }
        var live: [String: [OfferID: Offer]] = [:]
        for provider in ["vast", "aws"] {
            for index in 0..<60 {
                let offer = randomOffer(provider, index, seenAt: 0)
                live[provider, default: [:]][offer.id] = offer
            }
        }
        var book = OfferBook(offers: live.values.flatMap(\.values))
        for round in 1...8 {
            let now = Double(round * 60)
            let provider = ["vast", "aws"][random.next(2)]
            var seen: [Offer] = []
            for index in 0..<80 where random.next(4) != 0 {
                let previous = live[provider]?[OfferID(provider: provider, native: "o\(index)")]
                var next = previous ?? randomOffer(provider, index, seenAt: now)
                next.lastSeenAt = start.addingTimeInterval(now)
                next.available = 1 + random.next(3)
                switch random.next(6) {
                case 0: next = randomOffer(provider, index, seenAt: now)
                case 1: next.pricePerHour = Money(dollars: Double(1 + random.next(30)))!
                default: break
                }
                seen.append(next)
                if random.next(10) == 0 { seen.append(next) }  // listed twice
            }
            let cutoff = start.addingTimeInterval(now - 90)
            var expected = (live[provider] ?? [:]).filter { $0.value.lastSeenAt >= cutoff }
            for offer in seen { expected[offer.id] = offer }
            live[provider] = expected
            book = book.updating(provider: provider, seen: seen, expiredBefore: cutoff)

            let rebuilt = OfferBook(offers: live.values.flatMap(\.values))
            #expect(book.count == rebuilt.count)
            #expect(book.offerCounts == rebuilt.offerCounts)
            #expect(book.summaries == rebuilt.summaries)
            for sort in OfferFilter.Sort.allCases {
                for filter in [
                    OfferFilter(sort: sort), OfferFilter(gpus: ["H100-SXM", "RTX4090"], sort: sort),
                    OfferFilter(minGPUs: 8, market: .spot, sort: sort),
                ] {
                    #expect(book.search(filter, limit: 500).offers == rebuilt.search(filter, limit: 500).offers)
                }
            }
        }
    }

    @Test func summaryHasCountCheapestAndMedianPerGPUHourByMarket() {
        let book = OfferBook(offers: [
            offer("vast", "1", count: 1, dollars: 2), offer("vast", "2", count: 2, dollars: 6),
            offer("vast", "3", count: 1, dollars: 4), offer("vast", "4", count: 4, dollars: 20),
            offer("vast", "5", gpu: "RTX4090", count: 1, dollars: 0.4, market: .spot),
        ])
        #expect(
            book.summaries == [
                GPUMarketSummary(
                    gpu: "H100-SXM", market: .onDemand, offers: 4, cheapestPerGPUHour: Money(microdollars: 2_000_000),
                    medianPerGPUHour: Money(microdollars: 3_500_000)),
                GPUMarketSummary(
                    gpu: "RTX4090", market: .spot, offers: 1, cheapestPerGPUHour: Money(microdollars: 400_000),
                    medianPerGPUHour: Money(microdollars: 400_000)),
            ])
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
