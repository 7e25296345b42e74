import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread the pollers' work runs on: parsing a provider's answer (tens of megabytes for the
/// largest), normalizing it and taking it into the offer book.
///
/// Swift's shared executor has one thread per core, and on 2 cores a poll holding one of them for
/// a quarter of a second halves what the API can answer meanwhile. On a thread of its own, the
/// poll is time-sliced with the requests by the kernel; at a lower priority (nice 10), it takes
/// what the requests leave: a poll lands a little later under load, and a request does not wait
/// behind one.
final class PollingExecutor: TaskExecutor, @unchecked Sendable {
    /// One for every poller: polls that land together take turns rather than taking every core.
    static let shared = PollingExecutor(niceness: 10)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// An executor with its own thread, `niceness` steps below the thread that makes it (at most
    /// down to the lowest priority, nice 19). The thread, and so the executor, lasts as long as
    /// the process.
    init(niceness: Int32) {
        let base = Self.niceValue
        let thread = Thread { [self] in
            // Named from the thread itself, which is what `top -H` shows.
            Thread.current.name = "gb-polling"
            Self.setNiceValue(min(19, base + niceness))
            runJobs()
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        condition.lock()
        jobs.append(UnownedJob(job))
        condition.signal()
        condition.unlock()
    }

    private func runJobs() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// The calling thread's nice value: Linux gives each thread its own, and process 0 is the
    /// calling thread. Elsewhere, the process's.
    static var niceValue: Int32 {
        #if os(Linux)
            getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
            getpriority(PRIO_PROCESS, 0)
        #endif
    }

    private static func setNiceValue(_ value: Int32) {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, value)
        #endif
    }
}
