#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A spell length distribution as a semi-Markov chain in steps of `stepSeconds`: the age of the
/// spell going on falls in one of ``edges``' buckets, and each step the spell ends with probability
/// ``end``, or else moves on to the next bucket with probability ``advance`` (one over the bucket's
/// width in steps; the last bucket is open and keeps the spell).
///
/// The first buckets are one step wide, where the hazard of short spells changes fastest; they then
/// widen geometrically. The bucket shape is assumed, not learned: what is learned is the
/// distribution, hence the hazards.
struct SpellHazards: Sendable, Equatable {
    /// The buckets' lower edges in seconds, from 0.
    let edges: [Double]
    /// Per bucket, the probability that a spell of that age ends within one step.
    let end: [Double]
    /// Per bucket, the probability that a spell that goes on moves to the next bucket.
    let advance: [Double]

    /// One-step buckets cover spells up to this many steps; later bucket widths grow by `growth`,
    /// up to `lastEdgeSeconds` (4 days).
    static let unitSteps = 4
    static let growth = 1.5
    static let lastEdgeSeconds = 4 * 86_400.0

    init(_ distribution: SpellDistribution, stepSeconds dt: Double) {
        var edges = (0..<Self.unitSteps).map { Double($0) * dt }
        var width = dt
        var edge = Double(Self.unitSteps) * dt
        while edge < Self.lastEdgeSeconds {
            edges.append(edge)
            width *= Self.growth
            edge += width
        }
        self.edges = edges
        var end: [Double] = []
        var advance: [Double] = []
        for (index, lower) in edges.enumerated() {
            let upper = index + 1 < edges.count ? edges[index + 1] : Double.infinity
            // Occupancy-weighted hazard: spells ending in the bucket over the time spells spend in it.
            let ending = distribution.survival(after: lower) - distribution.survival(after: upper)
            let spent = distribution.truncatedMean(at: upper) - distribution.truncatedMean(at: lower)
            end.append(spent > 0 ? min(1, max(0, dt * ending / spent)) : 1)
            advance.append(upper.isInfinite ? 0 : min(1, dt / (upper - lower)))
        }
        self.end = end
        self.advance = advance
    }

    /// The bucket of a spell that has lasted `age` seconds.
    func bucket(ofAge age: Double) -> Int {
        var low = 0
        var high = edges.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if edges[middle] <= age { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// ``end`` at `factor` times the hazard: the probabilities of ending within one step when spells
    /// end `factor` times as often per hour.
    func end(scaledBy factor: Double) -> [Double] {
        factor == 1 ? end : end.map { 1 - pow(1 - $0, factor) }
    }
}
