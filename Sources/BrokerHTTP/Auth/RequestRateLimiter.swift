import BrokerCore
import Foundation
import Synchronization

/// One ``BrokerCore/TokenBucket`` per API token: a token over its rate gets a 429 with
/// `Retry-After`, and one busy client cannot starve the others.
final class RequestRateLimiter: Sendable {
    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var prunedAt: Date?
    }

    private let limit: TokenBucket.Limit
    private let state = Mutex(State())
    /// How often buckets that have refilled (tokens idle since, or revoked) are forgotten.
    private static let pruneEvery: TimeInterval = 60

    init(limit: TokenBucket.Limit) {
        self.limit = limit
    }

    /// Nil when `key`'s request may go ahead; otherwise the seconds to wait.
    func admit(_ key: String, at now: Date) -> Int? {
        state.withLock { state in
            if state.prunedAt.map({ now.timeIntervalSince($0) >= Self.pruneEvery }) ?? true {
                state.buckets = state.buckets.filter { !$0.value.isFull(at: now) }
                state.prunedAt = now
            }
            var bucket = state.buckets[key] ?? TokenBucket(limit: limit, now: now)
            let wait = bucket.take(at: now)
            state.buckets[key] = bucket
            return wait
        }
    }
}
