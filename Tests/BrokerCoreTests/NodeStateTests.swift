import BrokerCore
import Testing

@Suite("Node states")
struct NodeStateTests {
    /// Every allowed move. Any (state, event) pair not listed must be refused.
    static let allowed: [NodeState: [NodeEvent: NodeState]] = [
        .requested: [.boot: .booting, .terminate: .terminating, .fail: .failed],
        .booting: [.start: .running, .terminate: .terminating, .fail: .failed, .vanish: .terminated],
        .running: [.preempt: .preempting, .terminate: .terminating, .vanish: .terminated],
        .preempting: [.terminate: .terminating, .vanish: .terminated],
        .terminating: [.confirmTerminated: .terminated],
        .terminated: [:],
        .failed: [:],
    ]

    @Test("every state and event follows the table", arguments: NodeState.allCases, NodeEvent.allCases)
    func transition(state: NodeState, event: NodeEvent) {
        if let next = Self.allowed[state]?[event] {
            #expect((try? state.applying(event)) == next)
        } else {
            #expect(throws: InvalidTransition(subject: "node", state: state.rawValue, event: event.rawValue)) {
                try state.applying(event)
            }
        }
    }

    @Test("exactly terminated and failed are terminal, and they have no way out", arguments: NodeState.allCases)
    func terminal(state: NodeState) {
        #expect(state.isTerminal == [.terminated, .failed].contains(state))
        if state.isTerminal {
            #expect(NodeEvent.allCases.allSatisfy { (try? state.applying($0)) == nil })
        }
    }

    @Test("a reclaimed node goes through preempting to terminated")
    func reclaimed() throws {
        var state = NodeState.requested
        for event in [NodeEvent.boot, .start, .preempt, .terminate, .confirmTerminated] {
            state = try state.applying(event)
        }
        #expect(state == .terminated)
        #expect(try NodeState.preempting.applying(.vanish) == .terminated)
    }

    @Test("refusals name the state and the event")
    func message() {
        do {
            _ = try NodeState.terminated.applying(.start)
            Issue.record("a terminated node started")
        } catch {
            #expect(error.description == "node cannot 'start' from 'terminated'")
        }
    }

    @Test(
        "raw values are the API's",
        arguments: [
            (NodeState.requested, "requested"), (.booting, "booting"), (.running, "running"),
            (.preempting, "preempting"), (.terminating, "terminating"), (.terminated, "terminated"),
            (.failed, "failed"),
        ]
    )
    func rawValues(state: NodeState, raw: String) {
        #expect(state.rawValue == raw)
        #expect(NodeState(rawValue: raw) == state)
    }

    @Test("event raw values name the timeline entries")
    func eventRawValues() {
        #expect(NodeEvent.confirmTerminated.rawValue == "confirm_terminated")
        #expect(NodeEvent(rawValue: "vanish") == .vanish)
    }

    @Test("the states answer their own questions: live, active, billed, waiting on the provider")
    func questions() {
        #expect(NodeState.live == [.requested, .booting, .running, .preempting, .terminating])
        #expect(NodeState.active == [.requested, .booting, .running, .preempting])
        #expect(NodeState.allCases.filter(\.isBilling) == [.booting, .running, .preempting, .terminating])
        #expect(NodeState.allCases.filter(\.isInTransition) == [.requested, .booting, .terminating])
        // Nothing terminal is live, and only a live node can be active or billed.
        #expect(NodeState.allCases.allSatisfy { $0.isLive != $0.isTerminal })
        #expect(NodeState.allCases.filter { $0.isActive || $0.isBilling }.allSatisfy { $0.isLive })
    }
}
