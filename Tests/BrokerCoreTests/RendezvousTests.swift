import BrokerCore
import Foundation
import Testing

@Suite("Where a gang meets: its active nodes and rank 0's newest address")
struct RendezvousTests {
    private let start = Date(timeIntervalSince1970: 1_000)

    private func member(_ id: String, rank: Int, _ state: NodeState, minute: Int, address: String?)
        -> Rendezvous.Member
    {
        Rendezvous.Member(
            id: id, rank: rank, state: state, requestedAt: start.addingTimeInterval(Double(minute * 60)),
            address: address)
    }

    @Test("a replaced rank 0 hands the rendezvous to its replacement; stopped nodes do not count")
    func newestRankZero() {
        let gang = [
            member("n1", rank: 0, .preempting, minute: 0, address: "10.0.0.1"),
            member("n2", rank: 1, .running, minute: 0, address: "10.0.0.2"),
            member("n3", rank: 0, .booting, minute: 5, address: "10.0.0.3"),
            member("n4", rank: 1, .terminated, minute: 0, address: "10.0.0.4"),
        ]
        let rendezvous = Rendezvous.of(gang)
        #expect(rendezvous.size == 3)
        #expect(rendezvous.master == "10.0.0.3")
    }

    @Test("no address yet is no master; an empty gang still counts one")
    func unknown() {
        #expect(Rendezvous.of([member("n1", rank: 0, .booting, minute: 0, address: nil)]).master == nil)
        #expect(Rendezvous.of([]).size == 1)
    }
}
