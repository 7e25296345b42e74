extension CurlHTTPClient {
    /// Settings shared by every request of one client.
    public struct Configuration: Sendable {
        /// Connections open at once to one host (`CURLMOPT_MAX_HOST_CONNECTIONS`); further
        /// transfers to that host wait their turn. `0` means no limit.
        public var maxConnectionsPerHost: Int
        /// Connections open at once in total (`CURLMOPT_MAX_TOTAL_CONNECTIONS`). `0` means no limit.
        public var maxTotalConnections: Int
        /// The `User-Agent` sent unless a request sets its own.
        public var userAgent: String
        /// Verify the server's certificate chain and host name. Keep this on outside tests.
        public var verifyTLS: Bool
        /// A PEM bundle of trusted CAs instead of the system's (`CURLOPT_CAINFO`).
        public var caBundlePath: String?
        /// Follow redirects (at most 5, http and https only). Off by default.
        public var followRedirects: Bool
        /// The limit for establishing a connection; an attempt's own timeout still applies.
        public var connectTimeout: Duration
        /// The per-attempt timeout of requests that do not set one.
        public var defaultTimeout: Duration
        /// The response-size limit of requests that do not set one.
        public var defaultMaxResponseBytes: Int
        /// Waits between retries. Tests inject a recorder here to observe delays without waiting.
        public var sleep: @Sendable (Duration) async throws -> Void
        /// The wall clock in seconds since 1970, used for `Retry-After` HTTP-dates.
        public var now: @Sendable () -> Int64

        /// Creates a configuration; every parameter has a production default.
        public init(
            maxConnectionsPerHost: Int = 8,
            maxTotalConnections: Int = 0,
            userAgent: String = "gridbroker-curlhttp/1",
            verifyTLS: Bool = true,
            caBundlePath: String? = nil,
            followRedirects: Bool = false,
            connectTimeout: Duration = .seconds(10),
            defaultTimeout: Duration = .seconds(30),
            defaultMaxResponseBytes: Int = 64 << 20,
            sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
            now: @escaping @Sendable () -> Int64 = { RetryAfter.currentUnixTime() }
        ) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxTotalConnections = maxTotalConnections
            self.userAgent = userAgent
            self.verifyTLS = verifyTLS
            self.caBundlePath = caBundlePath
            self.followRedirects = followRedirects
            self.connectTimeout = connectTimeout
            self.defaultTimeout = defaultTimeout
            self.defaultMaxResponseBytes = defaultMaxResponseBytes
            self.sleep = sleep
            self.now = now
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, at least 1 (libcurl reads 0 as "no timeout").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, min(millis, Int64(Int32.max))))
    }
}
