/// Timings of repeated operations, summarized as percentiles in milliseconds.
struct LatencySamples {
    private var durations: [Duration] = []

    var count: Int { durations.count }

    /// Runs `body`, records how long it took, and returns its result.
    mutating func time<T>(_ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try body()
        durations.append(ContinuousClock.now - start)
        return result
    }

    /// Records one timing measured elsewhere.
    mutating func add(_ duration: Duration) {
        durations.append(duration)
    }

    /// Adds `other`'s timings to these.
    mutating func merge(_ other: LatencySamples) {
        durations += other.durations
    }

    /// The `fraction` quantile (0...1) in milliseconds, by the nearest-rank method.
    func milliseconds(atQuantile fraction: Double) -> Double {
        guard !durations.isEmpty else { return 0 }
        let sorted = durations.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1].timeInterval * 1000
    }

    var p50Milliseconds: Double { milliseconds(atQuantile: 0.5) }
    var p99Milliseconds: Double { milliseconds(atQuantile: 0.99) }
    var maxMilliseconds: Double { milliseconds(atQuantile: 1) }

    /// `p50_ms`, `p99_ms`, `max_ms` (each key after `prefix`).
    func fields(prefix: String = "") -> [(String, JSONLine.Value)] {
        [
            ("\(prefix)p50_ms", .number(p50Milliseconds)), ("\(prefix)p99_ms", .number(p99Milliseconds)),
            ("\(prefix)max_ms", .number(maxMilliseconds)),
        ]
    }
}
