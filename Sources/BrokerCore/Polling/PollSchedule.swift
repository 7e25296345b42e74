/// When to poll a provider next, and whether its circuit is open: a pure state machine fed the
/// outcome of each poll.
///
/// Healthy providers are polled every `interval`, spread by ±`jitterFraction` so that many
/// providers do not poll in lockstep. Failures back off exponentially (interval × 2ⁿ⁻¹, capped at
/// `maxBackoff`, and never sooner than a `Retry-After` the provider gave). After
/// `openAfterFailures` failures in a row the circuit is `open`; the next poll is a trial
/// (`halfOpen`) and one success closes it again.
public struct PollSchedule: Sendable, Equatable {
    public enum Circuit: String, Sendable, Equatable {
        case closed, open
        case halfOpen = "half_open"
    }

    public let interval: Duration
    public let maxBackoff: Duration
    public let jitterFraction: Double
    public let openAfterFailures: Int

    public private(set) var consecutiveFailures = 0
    public private(set) var circuit = Circuit.closed

    public init(
        interval: Duration, maxBackoff: Duration = .seconds(900), jitterFraction: Double = 0.1,
        openAfterFailures: Int = 3
    ) {
        self.interval = interval
        self.maxBackoff = max(maxBackoff, interval)
        self.jitterFraction = min(max(jitterFraction, 0), 0.5)
        self.openAfterFailures = max(openAfterFailures, 1)
    }

    /// A poll is starting: an open circuit lets this one through as a trial.
    public mutating func pollStarted() {
        if circuit == .open { circuit = .halfOpen }
    }

    /// The poll succeeded; returns how long to wait before the next one.
    ///
    /// - Parameter jitter: a random number in -1...1 (the caller's randomness keeps this pure).
    public mutating func succeeded(jitter: Double) -> Duration {
        consecutiveFailures = 0
        circuit = .closed
        return spread(interval, jitter: jitter)
    }

    /// The poll failed; returns how long to wait before the next one.
    ///
    /// - Parameters:
    ///   - retryAfter: how long the provider asked us to wait, if it did.
    ///   - jitter: a random number in -1...1.
    public mutating func failed(retryAfter: Duration?, jitter: Double) -> Duration {
        consecutiveFailures += 1
        if consecutiveFailures >= openAfterFailures || circuit == .halfOpen { circuit = .open }
        let doublings = min(consecutiveFailures - 1, 30)
        var delay = interval
        for _ in 0..<doublings where delay < maxBackoff { delay = delay * 2 }
        delay = spread(min(delay, maxBackoff), jitter: jitter)
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return delay
    }

    /// `delay` moved by up to ±`jitterFraction`, to the millisecond.
    private func spread(_ delay: Duration, jitter: Double) -> Duration {
        let milliseconds = delay.timeInterval * 1000
        let factor = 1 + jitterFraction * min(max(jitter, -1), 1)
        return .milliseconds(Int64((milliseconds * factor).rounded()))
    }
}
