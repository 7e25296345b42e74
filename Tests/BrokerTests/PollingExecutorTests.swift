import Testing

@testable import Broker

/// The pollers' executor: a poll's parsing and book update run on its own thread, below the
/// request threads' priority, so a landing poll takes the CPU the requests leave.
@Suite struct PollingExecutorTests {
    @Test func runsItsTasksOnAThreadOfLowerPriorityThanTheThreadThatMadeIt() async {
        let base = PollingExecutor.niceValue
        let executor = PollingExecutor(niceness: 3)
        let results = await withTaskExecutorPreference(executor) {
            await withTaskGroup(of: Int32.self) { group in
                for _ in 0..<4 { group.addTask { PollingExecutor.niceValue } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        #if os(Linux)
            #expect(results == Array(repeating: min(19, base + 3), count: 4))
        #else
            #expect(results.count == 4)
        #endif
        #expect(PollingExecutor.niceValue == base)
    }
}
