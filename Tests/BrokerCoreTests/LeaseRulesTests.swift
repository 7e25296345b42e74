import BrokerCore
import Foundation
import Testing

@Suite("Leases: free or expired ones are taken with a new token, a holder renews its own")
struct LeaseRulesTests {
    private let now = Date(timeIntervalSince1970: 1_795_000_000)

    private func lease(_ owner: String, token: String = "t1", expiresIn seconds: Double) -> Lease {
        Lease(name: "scheduler", owner: owner, token: token, expiresAt: now.addingTimeInterval(seconds))
    }

    @Test func aFreeOrExpiredLeaseIsTakenWithTheNewToken() {
        let until = now.addingTimeInterval(30)
        for current in [nil, lease("b", expiresIn: 0), lease("b", expiresIn: -5)] {
            #expect(
                LeaseRules.take("scheduler", current: current, owner: "a", newToken: "t2", until: until, now: now)
                    == Lease(name: "scheduler", owner: "a", token: "t2", expiresAt: until))
        }
    }

    @Test func anotherBrokersLeaseInForceIsNotTakenAndTheHoldersIsRenewedWithItsToken() {
        let until = now.addingTimeInterval(30)
        #expect(
            LeaseRules.take(
                "scheduler", current: lease("b", expiresIn: 1), owner: "a", newToken: "t2", until: until, now: now)
                == nil)
        #expect(
            LeaseRules.take(
                "scheduler", current: lease("a", expiresIn: 1), owner: "a", newToken: "t2", until: until, now: now)
                == Lease(name: "scheduler", owner: "a", token: "t1", expiresAt: until))
    }

    @Test func aLeaseIsRenewedOnceAThirdOfItIsSpent() {
        #expect(!LeaseRules.needsRenewal(lease("a", expiresIn: 25), duration: .seconds(30), now: now))
        #expect(LeaseRules.needsRenewal(lease("a", expiresIn: 19), duration: .seconds(30), now: now))
    }
}
