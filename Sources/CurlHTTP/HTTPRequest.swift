/// An outbound HTTP request.
///
/// `timeout` and `maxResponseBytes` fall back to the client's ``CurlHTTPClient/Configuration`` when `nil`.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute `http` or `https` URL, already percent-encoded.
    public var url: String
    /// Request header fields. They are never included in error descriptions.
    public var headers: HTTPHeaders
    /// The request body, sent with a `Content-Length`. `nil` sends no body.
    public var body: [UInt8]?
    /// The limit for one attempt, from start to the last byte of the response. `nil` uses the
    /// configuration's `defaultTimeout`.
    public var timeout: Duration?
    /// How failed attempts are retried.
    ///
    /// Retries apply to every method: pass ``RetryPolicy/none`` for requests that must not be
    /// repeated (a create whose first attempt may have reached the server before timing out).
    public var retry: RetryPolicy
    /// The largest decoded response body accepted; a larger one fails the request with
    /// ``CurlHTTPError/responseTooLarge(limit:)``. `nil` uses the configuration's `defaultMaxResponseBytes`.
    public var maxResponseBytes: Int?

    /// Creates a request.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration? = nil,
        retry: RetryPolicy = .default,
        maxResponseBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.retry = retry
        self.maxResponseBytes = maxResponseBytes
    }
}
