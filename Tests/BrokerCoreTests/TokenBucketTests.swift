import BrokerCore
import Foundation
import Testing

@Suite("Token bucket: a burst, then a steady rate, and when to come back")
struct TokenBucketTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("a full bucket admits the burst, then refuses with the seconds until the next token")
    func burstThenRefusal() {
        var bucket = TokenBucket(limit: .init(perSecond: 0.5, burst: 3), now: start)
        #expect((0..<3).map { _ in bucket.take(at: start) } == [nil, nil, nil])
        #expect(bucket.take(at: start) == 2)
        // One token back after two seconds, and only one.
        #expect(bucket.take(at: start.addingTimeInterval(2)) == nil)
        #expect(bucket.take(at: start.addingTimeInterval(2)) == 2)
    }

    @Test("refusals take nothing, and a bucket left alone refills to its burst, not beyond")
    func refill() {
        var bucket = TokenBucket(limit: .init(perSecond: 10, burst: 5), now: start)
        for _ in 0..<5 { _ = bucket.take(at: start) }
        #expect(!bucket.isFull(at: start))
        for _ in 0..<100 { #expect(bucket.take(at: start) == 1) }
        let later = start.addingTimeInterval(3600)
        #expect(bucket.isFull(at: later))
        #expect((0..<6).map { _ in bucket.take(at: later) == nil } == [true, true, true, true, true, false])
    }
}
