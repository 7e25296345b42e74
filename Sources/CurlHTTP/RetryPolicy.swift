/// When and how long to wait before repeating a failed attempt.
///
/// Retried: connection failures, timeouts and other transport errors where the connection broke,
/// `5xx` statuses except `501 Not Implemented`, and `429 Too Many Requests`. For `429` and `503` a
/// `Retry-After` header (seconds or an HTTP-date) replaces the backoff delay; if it asks for more
/// than ``maxRetryAfter`` the response is returned to the caller instead of waiting.
/// Other delays grow exponentially from ``baseDelay``, are capped at ``maxDelay`` and then
/// shortened by a random fraction of up to ``jitter``.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, including the first. `1` means no retry.
    public var maxAttempts: Int
    /// The delay before the first retry, before jitter.
    public var baseDelay: Duration
    /// The largest backoff delay, before jitter.
    public var maxDelay: Duration
    /// The random share of each backoff delay, `0...1`: the delay is `d * (1 - jitter * r)`, `r` in `0..<1`.
    public var jitter: Double
    /// The longest `Retry-After` honoured by waiting; longer ones end the retries.
    public var maxRetryAfter: Duration

    /// Creates a policy.
    public init(
        maxAttempts: Int,
        baseDelay: Duration = .milliseconds(200),
        maxDelay: Duration = .seconds(10),
        jitter: Double = 0.5,
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
        self.maxRetryAfter = maxRetryAfter
    }

    /// A single attempt.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Three attempts, 200 ms then 400 ms (each up to half shorter), `Retry-After` up to 60 s.
    public static let `default` = RetryPolicy(maxAttempts: 3)

    /// Whether a response with this status is worth another attempt.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || ((500...599).contains(status) && status != 501)
    }

    /// The backoff before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return backoff(afterAttempt: attempt, random: Double.random(in: 0..<1, using: &generator))
    }

    /// The backoff with the random draw `random` in `0..<1` given, for deterministic tests.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        var delay = baseDelay
        var step = 1
        while step < attempt && delay < maxDelay {
            delay = delay * 2
            step += 1
        }
        delay = min(delay, maxDelay)
        let factor = 1 - jitter * min(max(random, 0), 1)
        return max(.zero, delay * factor)
    }

    /// The delay before retrying after `response` to attempt `attempt`, or `nil` to return it as is.
    ///
    /// - Parameter now: the current time in seconds since 1970, for `Retry-After` HTTP-dates.
    func delay(after response: HTTPResponse, attempt: Int, now: Int64) -> Duration? {
        guard attempt < maxAttempts, Self.isRetryable(status: response.status) else { return nil }
        if response.status == 429 || response.status == 503,
            let value = response.header("Retry-After"),
            let wait = RetryAfter.parse(value, now: now)
        {
            return wait <= maxRetryAfter ? wait : nil
        }
        return backoff(afterAttempt: attempt)
    }

    /// The delay before retrying after `error` on attempt `attempt`, or `nil` to give up.
    func delay(after error: CurlHTTPError, attempt: Int) -> Duration? {
        guard attempt < maxAttempts, error.isRetryable else { return nil }
        return backoff(afterAttempt: attempt)
    }
}
