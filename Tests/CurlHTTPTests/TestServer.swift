import CurlHTTP
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

// Hummingbird re-exports HTTPTypes' HTTPRequest and HTTPResponse; these tests mean CurlHTTP's.
typealias CurlRequest = CurlHTTP.HTTPRequest
typealias CurlResponse = CurlHTTP.HTTPResponse

/// A thread-safe counter the routes bump, so tests can see how many attempts reached the server.
final class Counter: Sendable {
    private let state = Mutex((current: 0, total: 0, peak: 0))

    /// Adds one and returns the new total.
    @discardableResult
    func increment() -> Int {
        state.withLock { state in
            state.total += 1
            return state.total
        }
    }

    var total: Int { state.withLock { $0.total } }

    /// Tracks how many calls are inside `body` at once.
    func track<T>(_ body: () async throws -> T) async rethrows -> T {
        state.withLock { state in
            state.current += 1
            state.peak = max(state.peak, state.current)
        }
        defer { state.withLock { $0.current -= 1 } }
        return try await body()
    }

    var peak: Int { state.withLock { $0.peak } }
}

/// Holds every arriving request until `parties` requests are inside at once: a server-side proof
/// that the client had that many in flight.
final class Barrier: Sendable {
    private let parties: Int
    private let state = Mutex((arrived: 0, waiting: [CheckedContinuation<Void, Never>]()))

    init(parties: Int) {
        self.parties = parties
    }

    func arriveAndWait() async {
        await withCheckedContinuation { continuation in
            let released: [CheckedContinuation<Void, Never>] = state.withLock { state in
                state.arrived += 1
                state.waiting.append(continuation)
                guard state.arrived >= parties else { return [] }
                defer { state.waiting = [] }
                return state.waiting
            }
            for waiter in released {
                waiter.resume()
            }
        }
    }
}

/// Records the delays the client asks to sleep for, without sleeping.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    var recorded: [Duration] { delays.withLock { $0 } }

    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] delay in delays.withLock { $0.append(delay) } }
    }
}

/// Runs a Hummingbird server on 127.0.0.1 with an ephemeral port for the duration of `body`.
func withServer(
    _ buildRoutes: (Router<BasicRequestContext>) -> Void,
    _ body: (_ baseURL: String) async throws -> Void
) async throws {
    let router = Router()
    buildRoutes(router)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "CurlHTTPTests")
    logger.logLevel = .critical  // cancelling the server at the end logs errors
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger
    )
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            try await app.runService()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port != 0 else {
            group.cancelAll()
            Issue.record("server did not start")
            return
        }
        do {
            try await body("http://127.0.0.1:\(port)")
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// `"gzip works: " + "abcdefghij" * 20`, gzip-compressed (python3 `gzip.compress(data, mtime=0)`).
let gzipBlob: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xaf, 0xca, 0x2c, 0x50, 0x28, 0xcf, 0x2f,
    0xca, 0x2e, 0xb6, 0x52, 0x48, 0x4c, 0x4a, 0x4e, 0x49, 0x4d, 0x4b, 0xcf, 0xc8, 0xcc, 0x1a, 0xda, 0x2c, 0x00,
    0x40, 0xe9, 0x13, 0xd1, 0xd4, 0x00, 0x00, 0x00,
]
let gzipPlainText = "gzip works: " + String(repeating: "abcdefghij", count: 20)
