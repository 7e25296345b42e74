import BrokerCore
import Foundation
import Logging
import Testing

@testable import Broker

@Suite("A broker's hold on shared work: one broker at a time, another once it stops renewing or leaves")
struct WorkLeaseTests {
    private let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
    private let leases = InMemoryLeases()

    private func broker(_ owner: String) -> WorkLease {
        WorkLease(
            "scheduler", leases: leases, owner: owner, duration: .seconds(30), clock: clock,
            logger: Logger(label: "test"))
    }

    @Test func theHolderKeepsItByRenewingAndAnotherTakesItOnceItLapses() async {
        let (a, b) = (broker("a"), broker("b"))
        #expect(await a.isHeld())
        #expect(await !b.isHeld())
        // a's passes every 15 s renew it: b never gets it.
        for _ in 0..<4 {
            clock.advance(by: 15)
            #expect(await a.isHeld())
            #expect(await !b.isHeld())
        }
        // a stops (killed): 30 s later b takes over, and a, back, waits its turn.
        clock.advance(by: 31)
        #expect(await b.isHeld())
        #expect(await !a.isHeld())
    }

    @Test func aBrokerThatLeavesGivesTheWorkUpAtOnce() async {
        let (a, b) = (broker("a"), broker("b"))
        #expect(await a.isHeld())
        await a.release()
        #expect(await b.isHeld())
        #expect(await !a.isHeld())
    }

    @Test func renewalsBetweenPassesKeepTheWorkOfAServiceWhosePassesAreFarApart() async {
        let (a, b) = (broker("a"), broker("b"))
        #expect(await a.isHeld())
        // a's passes are a minute apart; its renewals every 10 s keep the lease from b.
        for _ in 0..<12 {
            clock.advance(by: 10)
            await a.renewIfHeld()
            #expect(await !b.isHeld())
        }
        #expect(await a.isHeld())
    }
}
