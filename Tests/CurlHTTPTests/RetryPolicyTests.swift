import CurlHTTP
import Testing

@Suite struct RetryPolicyTests {
    @Test func backoffGrowsExponentiallyAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: 0.5)
        #expect(policy.backoff(afterAttempt: 1, random: 0) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 2, random: 0) == .milliseconds(200))
        #expect(policy.backoff(afterAttempt: 3, random: 0) == .milliseconds(400))
        #expect(policy.backoff(afterAttempt: 5, random: 0) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 60, random: 0) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 2, random: 0.5) == .milliseconds(150))
    }

    @Test func jitteredBackoffStaysInRange() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(200), jitter: 0.5)
        for _ in 0..<200 {
            let delay = policy.backoff(afterAttempt: 2)
            #expect(delay > .milliseconds(200) && delay <= .milliseconds(400))
        }
    }

    @Test func retryableStatuses() {
        for status in [429, 500, 502, 503, 504] {
            #expect(RetryPolicy.isRetryable(status: status))
        }
        for status in [200, 301, 400, 401, 404, 409, 501] {
            #expect(!RetryPolicy.isRetryable(status: status))
        }
    }

    @Test func policiesClampTheirInputs() {
        #expect(RetryPolicy.none.maxAttempts == 1)
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
        #expect(RetryPolicy(maxAttempts: 2, jitter: 7).jitter == 1)
    }

    @Test func errorsThatAreRetried() {
        #expect(CurlHTTPError.timedOut.isRetryable)
        #expect(CurlHTTPError.connectionFailed("refused").isRetryable)
        #expect(CurlHTTPError.transport(code: 56, message: "recv").isRetryable)
        #expect(!CurlHTTPError.tls("bad certificate").isRetryable)
        #expect(!CurlHTTPError.responseTooLarge(limit: 1).isRetryable)
        #expect(!CurlHTTPError.invalidURL.isRetryable)
        #expect(!CurlHTTPError.clientShutDown.isRetryable)
    }
}

@Suite struct RetryAfterTests {
    /// 1994-11-06 08:49:37 UTC.
    private let now: Int64 = 784_111_777

    @Test func delaySeconds() {
        #expect(RetryAfter.parse("2", now: now) == .seconds(2))
        #expect(RetryAfter.parse(" 120 ", now: now) == .seconds(120))
        #expect(RetryAfter.parse("0", now: now) == .zero)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:47 GMT",
        "Sunday, 06-Nov-94 08:49:47 GMT",
        "Sun Nov  6 08:49:47 1994",
    ])
    func httpDates(_ value: String) {
        #expect(RetryAfter.parse(value, now: now) == .seconds(10))
    }

    @Test func pastDateMeansNoWait() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:47 PST", "Sun, 32 Nov 1994 08:49:47 GMT"])
    func malformedValues(_ value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }

    @Test func epochIsRight() {
        #expect(RetryAfter.parse("Thu, 01 Jan 1970 00:01:00 GMT", now: 0) == .seconds(60))
        #expect(RetryAfter.parse("Sat, 01 Jan 2000 00:00:00 GMT", now: 946_684_790) == .seconds(10))
    }
}

@Suite struct HTTPHeadersTests {
    @Test func lookupIsCaseInsensitiveAndKeepsOrder() {
        var headers: HTTPHeaders = ["Set-Cookie": "a", "Content-Type": "text/plain"]
        headers.add(name: "set-cookie", value: "b")
        #expect(headers["SET-COOKIE"] == "a")
        #expect(headers.values(for: "Set-Cookie") == ["a", "b"])
        headers.replaceOrAdd(name: "content-type", value: "application/json")
        #expect(headers["Content-Type"] == "application/json")
        #expect(headers.count == 3)
        headers.remove(name: "SET-cookie")
        #expect(headers.count == 1)
    }

    @Test func descriptionNeverShowsValues() {
        let headers: HTTPHeaders = ["Authorization": "Bearer secret-token"]
        #expect(!String(describing: headers).contains("secret-token"))
        #expect(String(describing: headers).contains("Authorization"))
    }
}
