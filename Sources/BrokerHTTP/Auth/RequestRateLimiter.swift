import BrokerCore
import Foundation
import Synchronization

/// One ``BrokerCore/TokenBucket`` per API token: a token over its rate gets a 429 with
/// `Retry-After`, and one busy client cannot starve the others.
final class RequestRateLimiter: Sendable {
    private let limit: TokenBucket.Limit
    private let buckets = Mutex<[String: TokenBucket]>([:])
    /// Above this many buckets, the full ones (idle tokens) are forgotten.
    private static let pruneAbove = 10_000

    init(limit: TokenBucket.Limit) {
        self.limit = limit
    }

    /// Nil when `key`'s request may go ahead; otherwise the seconds to wait.
    func admit(_ key: String, at now: Date) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > Self.pruneAbove { buckets = buckets.filter { !$0.value.isFull(at: now) } }
            var bucket = buckets[key] ?? TokenBucket(limit: limit, now: now)
            let wait = bucket.take(at: now)
            buckets[key] = bucket
            return wait
        }
    }
}
