import BrokerCore
import Testing

@Suite("When providers are polled, and their circuit")
struct PollScheduleTests {
    @Test func healthyProviderIsPolledEveryIntervalWithinTheJitter() {
        var schedule = PollSchedule(interval: .seconds(60), jitterFraction: 0.1)
        #expect(schedule.succeeded(jitter: 0) == .seconds(60))
        #expect(schedule.succeeded(jitter: 1) == .seconds(66))
        #expect(schedule.succeeded(jitter: -1) == .seconds(54))
        #expect(schedule.succeeded(jitter: -7) == .seconds(54))
        #expect(schedule.circuit == .closed)
    }

    @Test func failuresBackOffExponentiallyUpToTheCap() {
        var schedule = PollSchedule(interval: .seconds(60), maxBackoff: .seconds(300), jitterFraction: 0)
        let delays = (0..<5).map { _ in schedule.failed(retryAfter: nil, jitter: 0) }
        #expect(delays == [.seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300)])
        #expect(schedule.consecutiveFailures == 5)
    }

    @Test func retryAfterIsHonouredWhenLongerThanTheBackoff() {
        var schedule = PollSchedule(interval: .seconds(10), jitterFraction: 0)
        #expect(schedule.failed(retryAfter: .seconds(45), jitter: 0) == .seconds(45))
        #expect(schedule.failed(retryAfter: .seconds(5), jitter: 0) == .seconds(20))
    }

    @Test func circuitOpensAfterRepeatedFailuresTriesHalfOpenAndClosesOnSuccess() {
        var schedule = PollSchedule(interval: .seconds(60), jitterFraction: 0, openAfterFailures: 3)
        _ = schedule.failed(retryAfter: nil, jitter: 0)
        _ = schedule.failed(retryAfter: nil, jitter: 0)
        #expect(schedule.circuit == .closed)
        _ = schedule.failed(retryAfter: nil, jitter: 0)
        #expect(schedule.circuit == .open)

        schedule.pollStarted()
        #expect(schedule.circuit == .halfOpen)
        _ = schedule.failed(retryAfter: nil, jitter: 0)
        #expect(schedule.circuit == .open)

        schedule.pollStarted()
        #expect(schedule.succeeded(jitter: 0) == .seconds(60))
        #expect(schedule.circuit == .closed)
        #expect(schedule.consecutiveFailures == 0)
    }
}
