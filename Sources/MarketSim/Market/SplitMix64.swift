/// The simulated market's only source of randomness: SplitMix64, a small, fast, seedable generator
/// (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014).
///
/// The system generator is never used, so the same seed always builds the same market. Besides the
/// sequential generator, ``hash(_:_:_:)`` gives stateless draws keyed by (seed, offer, time slot),
/// which is how prices and capacity move over time without any stored state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalize(state)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double {
        Self.unit(next())
    }

    /// A uniform double in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// A uniform integer in `range`, by multiply-shift (bias below 2^-32 for the small ranges used here).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// An index chosen with probability proportional to its weight.
    mutating func weightedIndex<Weights: RandomAccessCollection<Double>>(_ cumulativeWeights: Weights) -> Int
    where Weights.Index == Int {
        let target = unit() * (cumulativeWeights.last ?? 0)
        var low = cumulativeWeights.startIndex
        var high = cumulativeWeights.endIndex - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The SplitMix64 output function: a bijective avalanche mix of 64 bits.
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stateless, well-mixed hash of up to three words.
    static func hash(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0) -> UInt64 {
        var h = finalize(a &+ 0x9E37_79B9_7F4A_7C15)
        h = finalize(h ^ (b &+ 0x632B_E59B_D9B4_E019))
        return finalize(h ^ (c &+ 0x8CB9_2BA7_2F3D_8DD7))
    }

    /// The top 53 bits of `bits` as a double in [0, 1).
    static func unit(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1.0p-53
    }

    /// A stable 64-bit key for a name (FNV-1a), so that keys do not depend on Swift's per-process
    /// randomized `Hasher`.
    static func key(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return hash
    }
}
