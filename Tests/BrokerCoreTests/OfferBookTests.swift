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

    /// Sets of values are matched as sets whatever their size (a few are compared one by one, more
    /// are hashed); an offer of unknown country matches no country filter.
    @Test(arguments: [1, 2, 4, 5, 9])
    func setFiltersMatchTheirMembersOnly(size: Int) {
        let names = ["DE", "FR", "NL", "US", "JP", "GB", "SE", "PL", "IT"]
        let chosen = Set(names.prefix(size))
        let filter = OfferFilter(
            countries: chosen, regions: Set(chosen.map { "r-\($0)" }), providers: Set(chosen.map { "p\($0)" }))
        for name in names + ["DEU", "de", ""] {
            let matching = offer("p\(name)", "1", dollars: 1, country: name, region: "r-\(name)")
            #expect(filter.matches(matching) == chosen.contains(name), "\(name) in \(chosen.sorted())")
            #expect(!filter.matches(offer("p\(name)", "1", dollars: 1, country: name, region: "r-elsewhere")))
            #expect(!filter.matches(offer("elsewhere", "1", dollars: 1, country: name, region: "r-\(name)")))
        }
        #expect(!filter.matches(offer("pDE", "1", dollars: 1, country: nil, region: "r-DE")))
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
        let (failing, changes) = book.updated(
            provider: "vast", listing: nil, at: start.addingTimeInterval(301),
            expiredBefore: start.addingTimeInterval(1))
        #expect(failing.offerCounts == ["lambda": 1])
        #expect(failing.count == 1)
        #expect(changes.listedAt == nil && changes.upserted.isEmpty && changes.unlisted.isEmpty)
        #expect(Set(changes.withdrawn.map(\.id.description)) == ["vast:1", "vast:2"])
    }

    @Test("a poll's changes name only what differs: new, changed, listed again, no longer listed, withdrawn")
    func aPollsChangesAreWhatDiffers() {
        let book = OfferBook(
            offers: [
                offer("vast", "same", dollars: 20), offer("vast", "repriced", dollars: 15),
                offer("vast", "dropped", dollars: 9), offer("vast", "missed", dollars: 9, seenAt: -60),
                offer("vast", "old", dollars: 9, seenAt: -600),
            ], listedAt: ["vast": start])
        let now = start.addingTimeInterval(60)
        var repriced = offer("vast", "repriced", dollars: 14, seenAt: 60)
        repriced.firstSeenAt = now
        let (next, changes) = book.updated(
            provider: "vast",
            listing: [
                offer("vast", "same", dollars: 20, seenAt: 60), repriced,
                offer("vast", "missed", dollars: 9, seenAt: 60),
                offer("vast", "new", dollars: 30, seenAt: 60),
            ],
            at: now, expiredBefore: now.addingTimeInterval(-300))
        #expect(changes.listedAt == now)
        // "same" was in the last listing (at 0) and is as it was: not written. "missed" was not
        // (last seen at -60): it is listed again. A repriced offer keeps when it was first seen.
        #expect(changes.upserted.map(\.id.native) == ["repriced", "missed", "new"])
        #expect(changes.upserted.first?.firstSeenAt == start)
        #expect(
            changes.unlisted == [
                OfferChanges.Sighting(id: OfferID(provider: "vast", native: "dropped"), lastSeenAt: start)
            ])
        #expect(changes.withdrawn.map(\.id.native) == ["old"])
        #expect(next.offerCounts == ["vast": 5])

        // Listed again as it was: nothing to write; "dropped" is already unlisted.
        let again = next.updated(
            provider: "vast",
            listing: changes.upserted.map {
                var offer = $0
                offer.lastSeenAt = now + 30
                return offer
            }
                + [offer("vast", "same", dollars: 20, seenAt: 90)],
            at: now + 30, expiredBefore: now.addingTimeInterval(-270)
        ).changes
        #expect(again.upserted.isEmpty && again.unlisted.isEmpty && again.withdrawn.isEmpty)
    }

    /// Polls that reprice, move, drop, add, repeat and reorder offers, and polls that fail, leave the
    /// book answering exactly as a book built afresh from the offers that should be live. Both
    /// providers use the same native ids, so a slot one frees and the other reuses is caught out.
    @Test(arguments: 0..<60)
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
        var store = StoredOffers(offers: live.values.flatMap(\.values))
        for round in 1...12 {
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
            if random.next(4) == 0 { seen.reverse() }
            let failed = random.next(5) == 0
            if failed { seen = [] }
            let cutoff = start.addingTimeInterval(now - 90)
            var expected = (live[provider] ?? [:]).filter { $0.value.lastSeenAt >= cutoff }
            for var offer in seen {
                offer.firstSeenAt = expected[offer.id]?.firstSeenAt ?? offer.firstSeenAt
                expected[offer.id] = offer
            }
            live[provider] = expected
            let changes: OfferChanges
            (book, changes) = book.updated(
                provider: provider, listing: failed ? nil : seen, at: start.addingTimeInterval(now),
                expiredBefore: cutoff)
            store.apply(changes, provider: provider)
            // What the store keeps, read back, is the live market.
            let wanted = live.values.reduce(into: [OfferID: Offer]()) { $0.merge($1) { old, _ in old } }
            let stored = store.live
            #expect(Set(wanted.keys).union(stored.keys).filter { wanted[$0] != stored[$0] }.isEmpty)
            // A restart: the book is built from the store and later polls go on from it.
            if round == 4 { book = OfferBook(offers: Array(store.live.values), listedAt: store.listedAt) }

            let rebuilt = OfferBook(offers: live.values.flatMap(\.values))
            #expect(book.count == rebuilt.count)
            #expect(book.offerCounts == rebuilt.offerCounts)
            #expect(book.summaries == rebuilt.summaries)
            for sort in OfferFilter.Sort.allCases {
                for filter in [
                    OfferFilter(sort: sort), OfferFilter(gpus: ["H100-SXM", "RTX4090"], sort: sort),
                    OfferFilter(minGPUs: 8, market: .spot, sort: sort),
                ] {
                    let page = book.search(filter, limit: 500)
                    #expect(page.offers == rebuilt.search(filter, limit: 500).offers)
                    // The page's JSON, from the kept heads, is what its offers render to now.
                    var kept = JSONWriter()
                    kept.offers(page)
                    var now = JSONWriter()
                    now.array(page.offers) { $0.offer($1) }
                    #expect(String(decoding: kept.bytes, as: UTF8.self) == String(decoding: now.bytes, as: UTF8.self))
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

/// What the store does with a poll's ``OfferChanges``, as rows: an offer still listed was last
/// seen when its provider last listed.
private struct StoredOffers {
    private var rows: [OfferID: (offer: Offer, listed: Bool)] = [:]
    private(set) var listedAt: [String: Date] = [:]

    init(offers: [Offer]) {
        for offer in offers { rows[offer.id] = (offer, false) }
    }

    mutating func apply(_ changes: OfferChanges, provider: String) {
        if let listed = changes.listedAt { listedAt[provider] = listed }
        for var offer in changes.upserted {
            offer.firstSeenAt = rows[offer.id]?.offer.firstSeenAt ?? offer.firstSeenAt
            rows[offer.id] = (offer, true)
        }
        for sighting in changes.unlisted {
            rows[sighting.id]?.listed = false
            rows[sighting.id]?.offer.lastSeenAt = sighting.lastSeenAt
        }
        for sighting in changes.withdrawn { rows[sighting.id] = nil }
    }

    var live: [OfferID: Offer] {
        rows.mapValues { row in
            var offer = row.offer
            if row.listed, let listed = listedAt[offer.providerID] { offer.lastSeenAt = listed }
            return offer
        }
    }
}
