/// An async HTTP client on one libcurl multi handle.
///
/// Every request of a client runs on the same `curl_multi` handle, driven by one dedicated thread:
/// many requests are in flight at once without a thread each and without blocking Swift's
/// cooperative pool. Connections are reused across requests, at most
/// ``Configuration/maxConnectionsPerHost`` per host.
///
/// Call ``shutdown()`` when done; requests still in flight then fail with
/// ``CurlHTTPError/clientShutDown``, as do later calls. Releasing the last reference also stops it.
public final class CurlHTTPClient: Sendable {
    /// The settings this client was created with.
    public let configuration: Configuration
    private let loop: CurlMultiLoop

    /// Creates a client and starts its loop thread. Initialises libcurl if nothing did yet.
    public init(configuration: Configuration = .init()) {
        precondition(CurlGlobal.initialize(), "curl_global_init failed")
        self.configuration = configuration
        self.loop = CurlMultiLoop(
            maxConnectionsPerHost: configuration.maxConnectionsPerHost,
            maxTotalConnections: configuration.maxTotalConnections
        )
    }

    deinit {
        loop.requestStop()
    }

    /// Sends a request, retrying per its ``RetryPolicy``, and returns the final response.
    ///
    /// Any status is returned as a response, including `4xx` and `5xx` once retries are exhausted;
    /// the caller decides what a status means.
    ///
    /// - Throws: ``CurlHTTPError`` when no response arrived, or `CancellationError` when the task was
    ///   cancelled (the transfer is then aborted and freed).
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let spec = try TransferSpec(request: request, configuration: configuration)
        let policy = request.retry
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let delay: Duration
            do {
                let response = try await loop.perform(spec)
                guard let wait = policy.delay(after: response, attempt: attempt, now: configuration.now()) else {
                    return response
                }
                delay = wait
            } catch let error as CurlHTTPError {
                guard let wait = policy.delay(after: error, attempt: attempt) else {
                    throw error
                }
                delay = wait
            }
            try await configuration.sleep(delay)
            attempt += 1
        }
    }

    /// Stops the loop: requests in flight fail with ``CurlHTTPError/clientShutDown``, every libcurl
    /// handle is freed, and later calls fail at once. Returns when the loop thread has finished.
    public func shutdown() async {
        await loop.stop()
    }

    /// The number of transfers on the multi handle after the commands queued so far have run.
    /// For tests: shows that cancelled transfers were freed.
    func activeTransferCount() async -> Int {
        await loop.activeTransferCount()
    }
}
