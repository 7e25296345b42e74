import Dispatch

/// The thread the pollers' work runs on: parsing a provider's answer (tens of megabytes for the
/// largest), normalizing it and taking it into the offer book. Swift's shared executor has one
/// thread per core, and on 2 cores a poll holding one of them for a quarter of a second halves
/// what the API can answer meanwhile; on a thread of its own, the poll is time-sliced with the
/// requests by the kernel instead.
final class PollingExecutor: TaskExecutor, @unchecked Sendable {
    /// One for every poller: polls that land together take turns rather than taking every core.
    static let shared = PollingExecutor()

    private let queue = DispatchQueue(label: "gridbroker.polling", qos: .utility)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
