import CurlHTTP
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import CurlHTTP

extension HTTPField.Name {
    fileprivate static let xTest = HTTPField.Name("X-Test")!
    fileprivate static let xEcho = HTTPField.Name("X-Echo")!
    fileprivate static let xMethod = HTTPField.Name("X-Method")!
    fileprivate static let xGotContentType = HTTPField.Name("X-Got-Content-Type")!
    fileprivate static let xGotExpect = HTTPField.Name("X-Got-Expect")!
    fileprivate static let retryAfter = HTTPField.Name("Retry-After")!
}

private func plain(_ text: String, status: HTTPTypes.HTTPResponse.Status = .ok, headers: HTTPFields = [:])
    -> Hummingbird.Response
{
    var headers = headers
    headers[.contentType] = "text/plain"
    return Hummingbird.Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// A server-side signal that a request reached a route, so a test knows it is in flight.
private struct Arrivals: Sendable {
    let stream: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func waitForOne() async {
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
    }
}

private func addSlowRoute(_ router: Router<BasicRequestContext>, arrivals: Arrivals? = nil) {
    router.get("/slow") { _, _ in
        arrivals?.continuation.yield()
        try await Task.sleep(for: .seconds(30))
        return plain("late")
    }
}

@Suite("CurlHTTPClient against a loopback server")
struct CurlHTTPClientTests {
    @Test func getReturnsStatusHeadersAndBody() async throws {
        try await withServer { router in
            router.get("/hello") { _, _ in plain("hello world", headers: [.xTest: "yes"]) }
        } _: { base in
            let client = CurlHTTPClient()
            let response = try await client.execute(CurlRequest(url: base + "/hello"))
            #expect(response.status == 200)
            #expect(response.bodyString == "hello world")
            #expect(response.header("x-test") == "yes")
            #expect(response.header("CONTENT-TYPE") == "text/plain")
            #expect(response.header("Content-Length") == "11")
            #expect(response.header("missing") == nil)
            await client.shutdown()
        }
    }

    @Test func postSendsBodyAndHeaders() async throws {
        try await withServer { router in
            for method in [HTTPTypes.HTTPRequest.Method.post, .put, .patch, .delete] {
                router.on("/echo", method: method) { request, _ in
                    let body = try await request.body.collect(upTo: 1 << 20)
                    let headers: HTTPFields = [
                        .xMethod: request.method.rawValue,
                        .xEcho: request.headers[.xEcho] ?? "none",
                        .xGotContentType: request.headers[.contentType] ?? "none",
                        .xGotExpect: request.headers[.expect] ?? "none",
                    ]
                    return Hummingbird.Response(status: .created, headers: headers, body: .init(byteBuffer: body))
                }
            }
        } _: { base in
            let client = CurlHTTPClient()
            // Larger than 1 KiB, where libcurl would otherwise add "Expect: 100-continue"; with a NUL.
            let payload = Array("{\"bid\": 1.25}".utf8) + [0] + [UInt8](repeating: 0x41, count: 4000)
            let response = try await client.execute(
                CurlRequest(
                    method: .post,
                    url: base + "/echo",
                    headers: ["X-Echo": "echo me", "Content-Type": "application/json"],
                    body: payload
                ))
            #expect(response.status == 201)
            #expect(response.body == payload)
            #expect(response.header("X-Method") == "POST")
            #expect(response.header("X-Echo") == "echo me")
            #expect(response.header("X-Got-Content-Type") == "application/json")
            #expect(response.header("X-Got-Expect") == "none")

            for method in [HTTPMethod.put, .patch, .delete] {
                let other = try await client.execute(
                    CurlRequest(method: method, url: base + "/echo", body: Array("x=\(method)".utf8)))
                #expect(other.header("X-Method") == method.rawValue)
                #expect(other.bodyString == "x=\(method)")
                // No form Content-Type is invented for a body without one.
                #expect(other.header("X-Got-Content-Type") == "none")
            }
            let empty = try await client.execute(CurlRequest(method: .post, url: base + "/echo"))
            #expect(empty.status == 201)
            #expect(empty.body.isEmpty)
            await client.shutdown()
        }
    }

    @Test func headRequestHasNoBody() async throws {
        try await withServer { router in
            router.head("/hello") { _, _ in plain("", headers: [.xTest: "head"]) }
        } _: { base in
            let client = CurlHTTPClient()
            let response = try await client.execute(CurlRequest(method: .head, url: base + "/hello"))
            #expect(response.status == 200)
            #expect(response.header("X-Test") == "head")
            #expect(response.body.isEmpty)
            await client.shutdown()
        }
    }

    @Test func manyConcurrentRequestsOnOneLoop() async throws {
        let count = 64
        // No response is sent before all 64 requests have arrived: they must all be in flight at once.
        let barrier = Barrier(parties: count)
        try await withServer { router in
            router.get("/n/{i}") { _, context in
                await barrier.arriveAndWait()
                return plain("value \(context.parameters.get("i") ?? "?")")
            }
        } _: { base in
            let client = CurlHTTPClient(configuration: .init(maxConnectionsPerHost: count))
            let results = try await withThrowingTaskGroup(of: (Int, CurlResponse).self) { group in
                for i in 0..<count {
                    let request = CurlRequest(url: base + "/n/\(i)", timeout: .seconds(10))
                    group.addTask { (i, try await client.execute(request)) }
                }
                var results: [Int: CurlResponse] = [:]
                for try await (i, response) in group {
                    results[i] = response
                }
                return results
            }
            #expect(results.count == count)
            for (i, response) in results {
                #expect(response.status == 200)
                #expect(response.bodyString == "value \(i)")
            }
            #expect(await client.activeTransferCount() == 0)
            await client.shutdown()
        }
    }

    @Test func perHostConnectionLimitIsRespected() async throws {
        let inFlight = Counter()
        let barrier = Barrier(parties: 2)
        try await withServer { router in
            router.get("/track") { _, _ in
                try await inFlight.track {
                    await barrier.arriveAndWait()
                    try await Task.sleep(for: .milliseconds(10))
                    return plain("ok")
                }
            }
        } _: { base in
            let client = CurlHTTPClient(configuration: .init(maxConnectionsPerHost: 2))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await client.execute(CurlRequest(url: base + "/track")).status }
                }
                for try await status in group {
                    #expect(status == 200)
                }
            }
            #expect(inFlight.peak == 2)
            await client.shutdown()
        }
    }

    @Test func perRequestTimeoutFailsWithTimedOut() async throws {
        try await withServer { router in
            addSlowRoute(router)
        } _: { base in
            let client = CurlHTTPClient()
            let request = CurlRequest(url: base + "/slow", timeout: .milliseconds(300), retry: .none)
            await #expect(throws: CurlHTTPError.timedOut) {
                try await client.execute(request)
            }
            #expect(await client.activeTransferCount() == 0)
            await client.shutdown()
        }
    }

    @Test func cancellingTheTaskAbortsAndFreesTheTransfer() async throws {
        let arrivals = Arrivals()
        try await withServer { router in
            addSlowRoute(router, arrivals: arrivals)
            router.get("/hello") { _, _ in plain("still here") }
        } _: { base in
            let client = CurlHTTPClient()
            let task = Task {
                try await client.execute(CurlRequest(url: base + "/slow", timeout: .seconds(60)))
            }
            await arrivals.waitForOne()
            task.cancel()
            await #expect(throws: CancellationError.self) {
                try await task.value
            }
            #expect(await client.activeTransferCount() == 0)
            let next = try await client.execute(CurlRequest(url: base + "/hello"))
            #expect(next.bodyString == "still here")
            await client.shutdown()
        }
    }

    @Test func alreadyCancelledTaskNeverStartsTheRequest() async throws {
        let hits = Counter()
        try await withServer { router in
            router.get("/count") { _, _ in
                hits.increment()
                return plain("counted")
            }
        } _: { base in
            let client = CurlHTTPClient()
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.execute(CurlRequest(url: base + "/count"))
            }
            await #expect(throws: CancellationError.self) {
                try await task.value
            }
            #expect(hits.total == 0)
            await client.shutdown()
        }
    }

    @Test func serviceUnavailableIsRetriedUntilSuccess() async throws {
        let attempts = Counter()
        try await withServer { router in
            router.get("/flaky") { _, _ in
                attempts.increment() == 1 ? plain("busy", status: .serviceUnavailable) : plain("fine")
            }
        } _: { base in
            let sleeper = SleepRecorder()
            let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
            let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), jitter: 0.5)
            let response = try await client.execute(CurlRequest(url: base + "/flaky", retry: policy))
            #expect(response.status == 200)
            #expect(response.bodyString == "fine")
            #expect(attempts.total == 2)
            #expect(sleeper.recorded.count == 1)
            let delay = try #require(sleeper.recorded.first)
            #expect(delay >= .milliseconds(50) && delay <= .milliseconds(100))
            await client.shutdown()
        }
    }

    @Test func cancellingDuringTheRetryWaitThrowsCancellationError() async throws {
        let (asked, askedContinuation) = AsyncStream.makeStream(of: Duration.self)
        try await withServer { router in
            router.get("/down") { _, _ in plain("down", status: .serviceUnavailable) }
        } _: { base in
            // The wait reports itself, then sleeps until cancelled.
            let client = CurlHTTPClient(
                configuration: .init(sleep: { delay in
                    askedContinuation.yield(delay)
                    try await Task.sleep(for: .seconds(3600))
                }))
            let task = Task { try await client.execute(CurlRequest(url: base + "/down")) }
            var iterator = asked.makeAsyncIterator()
            _ = await iterator.next()
            task.cancel()
            await #expect(throws: CancellationError.self) {
                try await task.value
            }
            await client.shutdown()
        }
    }

    @Test func persistentServerErrorIsReturnedAfterTheLastAttempt() async throws {
        let attempts = Counter()
        try await withServer { router in
            router.get("/down") { _, _ in
                attempts.increment()
                return plain("down", status: .badGateway)
            }
        } _: { base in
            let sleeper = SleepRecorder()
            let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
            let response = try await client.execute(
                CurlRequest(url: base + "/down", retry: RetryPolicy(maxAttempts: 4, jitter: 0)))
            #expect(response.status == 502)
            #expect(attempts.total == 4)
            #expect(sleeper.recorded == [.milliseconds(200), .milliseconds(400), .milliseconds(800)])
            await client.shutdown()
        }
    }

    @Test func tooManyRequestsHonoursRetryAfterSeconds() async throws {
        let attempts = Counter()
        try await withServer { router in
            router.get("/limited") { _, _ in
                attempts.increment() == 1
                    ? plain("slow down", status: .tooManyRequests, headers: [.retryAfter: "2"]) : plain("ok")
            }
        } _: { base in
            let sleeper = SleepRecorder()
            let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
            let response = try await client.execute(CurlRequest(url: base + "/limited"))
            #expect(response.status == 200)
            #expect(attempts.total == 2)
            #expect(sleeper.recorded == [.seconds(2)])
            await client.shutdown()
        }
    }

    @Test func serviceUnavailableHonoursRetryAfterDate() async throws {
        let attempts = Counter()
        try await withServer { router in
            router.get("/maintenance") { _, _ in
                attempts.increment() == 1
                    ? plain(
                        "later", status: .serviceUnavailable, headers: [.retryAfter: "Sun, 06 Nov 1994 08:49:44 GMT"])
                    : plain("ok")
            }
        } _: { base in
            let sleeper = SleepRecorder()
            // 1994-11-06 08:49:37 UTC: the date above is 7 s later.
            let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep, now: { 784_111_777 }))
            let response = try await client.execute(CurlRequest(url: base + "/maintenance"))
            #expect(response.status == 200)
            #expect(sleeper.recorded == [.seconds(7)])
            await client.shutdown()
        }
    }

    @Test func retryAfterBeyondTheCapReturnsTheResponse() async throws {
        let attempts = Counter()
        try await withServer { router in
            router.get("/limited") { _, _ in
                attempts.increment()
                return plain("come back tomorrow", status: .tooManyRequests, headers: [.retryAfter: "86400"])
            }
        } _: { base in
            let sleeper = SleepRecorder()
            let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
            let response = try await client.execute(CurlRequest(url: base + "/limited"))
            #expect(response.status == 429)
            #expect(response.header("Retry-After") == "86400")
            #expect(attempts.total == 1)
            #expect(sleeper.recorded.isEmpty)
            await client.shutdown()
        }
    }

    @Test func notFoundIsNotRetried() async throws {
        let attempts = Counter()
        try await withServer { router in
            router.get("/missing") { _, _ in
                attempts.increment()
                return plain("no such thing", status: .notFound)
            }
        } _: { base in
            let sleeper = SleepRecorder()
            let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
            let response = try await client.execute(CurlRequest(url: base + "/missing"))
            #expect(response.status == 404)
            #expect(response.bodyString == "no such thing")
            #expect(attempts.total == 1)
            #expect(sleeper.recorded.isEmpty)
            await client.shutdown()
        }
    }

    @Test func connectionRefusedFailsAfterTheConfiguredAttempts() async throws {
        let sleeper = SleepRecorder()
        let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
        let request = CurlRequest(
            url: "http://127.0.0.1:1/nothing-listens-here",
            headers: ["Authorization": "Bearer sk-secret-value"],
            retry: RetryPolicy(maxAttempts: 3)
        )
        let error = await #expect(throws: CurlHTTPError.self) {
            try await client.execute(request)
        }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(sleeper.recorded.count == 2)
        #expect(!String(describing: error).contains("sk-secret-value"))
        await client.shutdown()
    }

    @Test func gzipBodyArrivesDecoded() async throws {
        try await withServer { router in
            router.get("/gzip") { request, _ in
                let accepted = request.headers[.acceptEncoding] ?? ""
                return Hummingbird.Response(
                    status: .ok,
                    headers: [.contentEncoding: "gzip", .contentType: "text/plain", .xEcho: accepted],
                    body: .init(byteBuffer: ByteBuffer(bytes: gzipBlob))
                )
            }
        } _: { base in
            let client = CurlHTTPClient()
            let response = try await client.execute(CurlRequest(url: base + "/gzip"))
            #expect(response.status == 200)
            #expect(response.bodyString == gzipPlainText)
            #expect(response.header("X-Echo")?.contains("gzip") == true)
            await client.shutdown()
        }
    }

    @Test func responseLargerThanTheCapFails() async throws {
        try await withServer { router in
            router.get("/big") { _, _ in plain(String(repeating: "x", count: 10_000)) }
            router.get("/big-chunked") { _, _ in
                Hummingbird.Response(
                    status: .ok,
                    body: .init { writer in
                        for _ in 0..<10 {
                            try await writer.write(ByteBuffer(repeating: UInt8(ascii: "y"), count: 1000))
                        }
                        try await writer.finish(nil)
                    })
            }
            router.get("/gzip") { _, _ in
                Hummingbird.Response(
                    status: .ok, headers: [.contentEncoding: "gzip"],
                    body: .init(byteBuffer: ByteBuffer(bytes: gzipBlob)))
            }
        } _: { base in
            let client = CurlHTTPClient()
            // Content-Length announces too much; chunked body runs over; compressed body fits but
            // decodes to more than the limit.
            for (path, limit) in [("/big", 5000), ("/big-chunked", 5000), ("/gzip", 100)] {
                await #expect(throws: CurlHTTPError.responseTooLarge(limit: limit)) {
                    try await client.execute(CurlRequest(url: base + path, maxResponseBytes: limit))
                }
            }
            let fits = try await client.execute(CurlRequest(url: base + "/big-chunked", maxResponseBytes: 10_000))
            #expect(fits.body.count == 10_000)
            await client.shutdown()
        }
    }

    @Test func shutdownFailsInFlightAndLaterRequests() async throws {
        let arrivals = Arrivals()
        try await withServer { router in
            addSlowRoute(router, arrivals: arrivals)
        } _: { base in
            let client = CurlHTTPClient()
            let inFlight = Task {
                try await client.execute(CurlRequest(url: base + "/slow", timeout: .seconds(60)))
            }
            await arrivals.waitForOne()
            await client.shutdown()
            await #expect(throws: CurlHTTPError.clientShutDown) {
                try await inFlight.value
            }
            await #expect(throws: CurlHTTPError.clientShutDown) {
                try await client.execute(CurlRequest(url: base + "/slow"))
            }
            await client.shutdown()  // idempotent
        }
    }

    @Test func invalidRequestsFailWithoutRetrying() async throws {
        let sleeper = SleepRecorder()
        let client = CurlHTTPClient(configuration: .init(sleep: sleeper.sleep))
        for url in ["ftp://127.0.0.1/file", "http://", "file:///etc/passwd"] {
            await #expect(throws: CurlHTTPError.invalidURL) {
                try await client.execute(CurlRequest(url: url))
            }
        }
        let injected = CurlRequest(url: "http://127.0.0.1:1/", headers: ["X-Api-Key": "k\r\nX-Evil: 1"])
        let error = await #expect(throws: CurlHTTPError.self) {
            try await client.execute(injected)
        }
        if case .invalidRequest(let message) = error {
            #expect(message.contains("X-Api-Key"))
            #expect(!message.contains("X-Evil"))
        } else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
        }
        #expect(sleeper.recorded.isEmpty)
        await client.shutdown()
    }

    @Test func tlsVerificationIsOnByDefault() {
        #expect(CurlHTTPClient.Configuration().verifyTLS)
        #expect(CurlHTTPClient.Configuration().followRedirects == false)
    }

    @Test func globalInitIsIdempotent() {
        #expect(CurlGlobal.initialize())
        #expect(CurlGlobal.initialize())
        #expect(CurlGlobal.version.hasPrefix("libcurl/"))
    }
}
