#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A request-rate limit: up to `burst` requests at once, refilled at `perSecond`. Pure; the
/// caller passes the time.
public struct TokenBucket: Sendable, Equatable {
    public struct Limit: Sendable, Equatable {
        public var perSecond: Double
        public var burst: Int

        public init(perSecond: Double, burst: Int) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    public let limit: Limit
    private var tokens: Double
    private var updatedAt: Date

    /// A full bucket at `now`.
    public init(limit: Limit, now: Date) {
        self.limit = limit
        tokens = Double(limit.burst)
        updatedAt = now
    }

    /// Takes one request's token; when none is left, the whole seconds until one is (at least 1),
    /// for `Retry-After`.
    public mutating func take(at now: Date) -> Int? {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(Double(limit.burst), tokens + elapsed * limit.perSecond)
        updatedAt = max(updatedAt, now)
        guard tokens < 1 else {
            tokens -= 1
            return nil
        }
        return max(1, Int(((1 - tokens) / limit.perSecond).rounded(.up)))
    }

    /// Whether the bucket has refilled completely by `now` (it can be forgotten).
    public func isFull(at now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updatedAt)) * limit.perSecond >= Double(limit.burst)
    }
}
