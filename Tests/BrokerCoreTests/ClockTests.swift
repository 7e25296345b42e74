import BrokerCore
import Foundation
import Testing

@Suite("Clocks")
struct ClockTests {
    @Test("a manual clock moves only when told")
    func manual() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let clock = ManualClock(now: start)
        #expect(clock.now == start)
        clock.advance(by: 90)
        #expect(clock.now == start.addingTimeInterval(90))
        clock.set(to: start)
        #expect(clock.now == start)
    }

    @Test("a manual clock can be advanced from many tasks at once")
    func concurrent() async {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 { group.addTask { clock.advance(by: 1) } }
        }
        #expect(clock.now == Date(timeIntervalSince1970: 100))
    }

    @Test("the system clock reads the wall clock")
    func system() {
        let before = Date()
        let now = SystemClock().now
        #expect(now >= before)
        #expect(now.timeIntervalSince(before) < 60)
    }
}
