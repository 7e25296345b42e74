import BrokerCore
import Testing

@Suite("Spot bids")
struct SpotBidTests {
    private func dollars(_ text: String) -> Money { try! Money(parsing: text) }

    @Test("a provider that charges the bid gets the ask plus the margin when the job has no cap")
    func marginWithoutCap() {
        let bids = SpotBid.bids([(dollars("2.00"), .bid(marginPPM: 100_000))], cap: nil)
        #expect(bids == [SpotBid(maximum: dollars("2.20"), paid: dollars("2.20"))])
    }

    @Test("the bids of a gang share the cap's headroom by ask and never pass the cap together")
    func capSharedByAsk() {
        // Asks 3 + 1 = 4 under a cap of 4.20: 5 % headroom each, less than the 10 % margin.
        let bids = SpotBid.bids(
            [(dollars("3.00"), .bid(marginPPM: 100_000)), (dollars("1.00"), .bid(marginPPM: 100_000))],
            cap: dollars("4.20"))
        #expect(bids.map(\.maximum) == [dollars("3.15"), dollars("1.05")])
        #expect(bids.map(\.paid).reduce(.zero, +) <= dollars("4.20"))
    }

    @Test("a cap with room for the whole margin leaves the margin as it is")
    func roomyCap() {
        let bids = SpotBid.bids([(dollars("1.00"), .bid(marginPPM: 250_000))], cap: dollars("10"))
        #expect(bids == [SpotBid(maximum: dollars("1.25"), paid: dollars("1.25"))])
    }

    @Test("a bid never falls under the ask, even when the asks already fill the cap")
    func neverUnderTheAsk() {
        let bids = SpotBid.bids([(dollars("5.00"), .bid(marginPPM: 100_000))], cap: dollars("5.00"))
        #expect(bids == [SpotBid(maximum: dollars("5.00"), paid: dollars("5.00"))])
    }

    @Test("EC2 spot bids nothing, paying the market price, unless the cap is under the on-demand price")
    func marketPrice() {
        let uncapped = SpotBid.bids([(dollars("10"), .marketPrice(onDemand: dollars("32")))], cap: nil)
        #expect(uncapped == [SpotBid(maximum: nil, paid: dollars("10"))])
        let roomyCap = SpotBid.bids([(dollars("10"), .marketPrice(onDemand: dollars("32")))], cap: dollars("40"))
        #expect(roomyCap == [SpotBid(maximum: nil, paid: dollars("10"))])
        let tightCap = SpotBid.bids([(dollars("10"), .marketPrice(onDemand: dollars("32")))], cap: dollars("12"))
        #expect(tightCap == [SpotBid(maximum: dollars("12"), paid: dollars("10"))])
        let unknownOnDemand = SpotBid.bids([(dollars("10"), .marketPrice(onDemand: nil))], cap: dollars("40"))
        #expect(unknownOnDemand == [SpotBid(maximum: dollars("40"), paid: dollars("10"))])
    }

    @Test("on-demand nodes pay their ask and bid nothing, whatever the cap")
    func fixedPrice() {
        let bids = SpotBid.bids(
            [(dollars("2"), .fixed), (dollars("2"), .bid(marginPPM: 100_000))], cap: dollars("4.10"))
        #expect(bids[0] == SpotBid(maximum: nil, paid: dollars("2")))
        #expect(bids[1] == SpotBid(maximum: dollars("2.05"), paid: dollars("2.05")))
    }

    @Test("a margin in millionths is exact to the micro-dollar")
    func exactMargin() {
        let bids = SpotBid.bids([(Money(microdollars: 1_234_567), .bid(marginPPM: 123_456))], cap: nil)
        // 1 234 567 × 0.123456 = 152 414.7… → rounded down.
        #expect(bids[0].maximum == Money(microdollars: 1_234_567 + 152_414))
    }
}
