import NodeAgent
import Synchronization

/// Sends the command's output to the broker as it comes (see ``LogBatcher``): lines are queued from
/// the pipe readers' threads, and one loop sends them in batches, a quarter of a second apart at
/// most, waiting longer after each failure.
final class LogShipper: Sendable {
    private let batcher = Mutex(LogBatcher())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let client: BrokerClient
    private let broker: String
    private let token: String

    static let pace: Duration = .milliseconds(250)
    static let maximumBackoff: Duration = .seconds(30)

    init(client: BrokerClient, broker: String, token: String) {
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.client = client
        self.broker = broker
        self.token = token
    }

    /// Queues one line of the command's output.
    func append(_ text: String, stream: OutputStream) {
        batcher.withLock { $0.append(text, stream: stream == .stdout ? .stdout : .stderr) }
        wake.yield()
    }

    /// Sends batches until cancelled.
    func run() async {
        var backoff = Self.pace
        for await _ in wakeups {
            while !Task.isCancelled, await sendOne() {
                backoff = Self.pace
                try? await Task.sleep(for: Self.pace)
            }
            if !batcher.withLock({ $0.isEmpty }) {
                // The last batch failed: try again later, then sooner once the broker answers.
                backoff = min(backoff * 2, Self.maximumBackoff)
                try? await Task.sleep(for: backoff)
                wake.yield()
            }
            if Task.isCancelled { return }
        }
    }

    /// Sends what is left, giving up after `patience` (the agent is about to exit).
    func flush(within patience: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + patience
        while clock.now < end, !batcher.withLock({ $0.isEmpty }) {
            if await !sendOne() { try? await Task.sleep(for: Self.pace) }
        }
    }

    /// Sends the next batch; true when one was sent and arrived.
    private func sendOne() async -> Bool {
        guard let lines = batcher.withLock({ $0.nextBatch() }) else { return false }
        do {
            try await client.sendLogs(lines, broker: broker, token: token)
            batcher.withLock { $0.delivered() }
            return true
        } catch {
            batcher.withLock { $0.failed() }
            return false
        }
    }
}
