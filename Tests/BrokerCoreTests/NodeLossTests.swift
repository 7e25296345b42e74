import BrokerCore
import Testing

@Suite("A node lost: a running job is interrupted, with what happened to which rank")
struct NodeLossTests {
    @Test("each kind of loss says what happened; only a running job is interrupted")
    func jobChange() {
        let reclaim = NodeLoss.jobChange(job: .running, event: .preempt, rank: 1, reason: "spot notice")
        #expect(reclaim?.event == .interrupt && reclaim?.reason == "node 1 is being reclaimed: spot notice")
        #expect(
            NodeLoss.jobChange(job: .running, event: .vanish, rank: 0, reason: "gone")?.reason
                == "node 0 vanished: gone")
        #expect(
            NodeLoss.jobChange(job: .running, event: .terminate, rank: 2, reason: "ops")?.reason
                == "node 2 was terminated by an operator: ops")
        for state in [JobState.queued, .provisioning, .migrating, .succeeded, .failed, .cancelled] {
            #expect(NodeLoss.jobChange(job: state, event: .preempt, rank: 0, reason: "x") == nil)
        }
    }
}
