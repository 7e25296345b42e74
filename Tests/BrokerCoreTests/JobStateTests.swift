import BrokerCore
import Testing

@Suite("Job states")
struct JobStateTests {
    /// Every allowed move. Any (state, event) pair not listed must be refused.
    static let allowed: [JobState: [JobEvent: JobState]] = [
        .queued: [.provision: .provisioning, .fail: .failed, .cancel: .cancelled],
        .provisioning: [.placementFailed: .queued, .start: .running, .fail: .failed, .cancel: .cancelled],
        .running: [.interrupt: .migrating, .succeed: .succeeded, .fail: .failed, .cancel: .cancelled],
        .migrating: [.resume: .running, .succeed: .succeeded, .fail: .failed, .cancel: .cancelled],
        .succeeded: [:],
        .failed: [:],
        .cancelled: [:],
    ]

    @Test("every state and event follows the table", arguments: JobState.allCases, JobEvent.allCases)
    func transition(state: JobState, event: JobEvent) {
        if let next = Self.allowed[state]?[event] {
            #expect(throws: Never.self) { try state.applying(event) }
            #expect((try? state.applying(event)) == next)
        } else {
            #expect(throws: InvalidTransition(subject: "job", state: state.rawValue, event: event.rawValue)) {
                try state.applying(event)
            }
        }
    }

    @Test("exactly the end states are terminal, and they have no way out", arguments: JobState.allCases)
    func terminal(state: JobState) {
        #expect(state.isTerminal == [.succeeded, .failed, .cancelled].contains(state))
        if state.isTerminal {
            #expect(JobEvent.allCases.allSatisfy { (try? state.applying($0)) == nil })
        }
    }

    @Test("a job can go round the migration loop and finish")
    func lifecycle() throws {
        var state = JobState.queued
        for event in [
            JobEvent.provision, .placementFailed, .provision, .start, .interrupt, .resume, .interrupt, .succeed,
        ] {
            state = try state.applying(event)
        }
        #expect(state == .succeeded)
    }

    @Test("refusals name the state and the event")
    func message() {
        #expect(throws: InvalidTransition.self) { try JobState.queued.applying(.start) }
        let error = InvalidTransition(subject: "job", state: "queued", event: "start")
        #expect(error.description == "job cannot 'start' from 'queued'")
    }

    @Test(
        "raw values are the API's",
        arguments: [
            (JobState.queued, "queued"), (.provisioning, "provisioning"), (.running, "running"),
            (.migrating, "migrating"), (.succeeded, "succeeded"), (.failed, "failed"), (.cancelled, "cancelled"),
        ]
    )
    func rawValues(state: JobState, raw: String) {
        #expect(state.rawValue == raw)
        #expect(JobState(rawValue: raw) == state)
    }

    @Test("event raw values name the timeline entries")
    func eventRawValues() {
        #expect(JobEvent.placementFailed.rawValue == "placement_failed")
        #expect(JobEvent(rawValue: "cancel") == .cancel)
    }
}
