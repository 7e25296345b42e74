/// A distribution of spell lengths in seconds: a ``SpellHistogram``'s bins as weights (spells of a
/// bin spread evenly over it, at the bin's mean for the last, open bin), plus a prior.
struct SpellDistribution: Sendable, Equatable {
    private var weights: [Double]
    private var sums: [Double]

    /// `histogram` plus `priorWeight` spells spread as a Lomax distribution of mean
    /// `priorMeanSeconds` would be over the bins (survival `(1 + x/m)⁻²`: heavy-tailed, the longer a
    /// spell has lasted the longer it is expected to last, `m + age`).
    init(_ histogram: SpellHistogram, priorMeanSeconds m: Double, priorWeight: Double) {
        let edges = SpellHistogram.edges
        weights = histogram.counts.map(Double.init)
        sums = histogram.seconds.map(Double.init)
        func survival(_ x: Double) -> Double { x.isInfinite ? 0 : 1 / ((1 + x / m) * (1 + x / m)) }
        func survivalIntegral(_ x: Double) -> Double { x.isInfinite ? 0 : -m / (1 + x / m) }
        for index in edges.indices {
            let lower = Double(edges[index])
            let upper = index + 1 < edges.count ? Double(edges[index + 1]) : Double.infinity
            let mass = survival(lower) - survival(upper)
            // ∫ x f(x) dx over [lower, upper) = lower·S(lower) − upper·S(upper) + ∫ S.
            let partialMean =
                lower * survival(lower) - (upper.isInfinite ? 0 : upper * survival(upper))
                + survivalIntegral(upper) - survivalIntegral(lower)
            weights[index] += priorWeight * mass
            sums[index] += priorWeight * partialMean
        }
    }

    /// Where the spells of bin `index` lie: evenly over an interval centred on their mean, as wide as
    /// the bin allows (a point when they all lasted the same).
    private func spread(_ index: Int) -> (lower: Double, upper: Double) {
        let edges = SpellHistogram.edges
        let mean = sums[index] / weights[index]
        let lower = Double(edges[index])
        let upper = index + 1 < edges.count ? Double(edges[index + 1]) : Double.infinity
        let half = max(0, min(mean - lower, upper - mean))
        return (mean - half, mean + half)
    }

    /// E[min(length, limit)]: the seconds of a spell within its first `limit` seconds, on average.
    func truncatedMean(at limit: Double) -> Double {
        var total = 0.0
        var sum = 0.0
        for index in weights.indices where weights[index] > 0 {
            let (lower, upper) = spread(index)
            total += weights[index]
            let part: Double
            if limit >= upper {
                part = (lower + upper) / 2
            } else if limit <= lower {
                part = limit
            } else {
                // Shorter than `limit` with probability `below`, then on average halfway to it.
                let below = (limit - lower) / (upper - lower)
                part = below * (lower + limit) / 2 + (1 - below) * limit
            }
            sum += weights[index] * part
        }
        return total > 0 ? sum / total : limit
    }

    /// P(length > age).
    func survival(after age: Double) -> Double {
        var total = 0.0
        var surviving = 0.0
        for index in weights.indices where weights[index] > 0 {
            let (lower, upper) = spread(index)
            total += weights[index]
            if age < lower {
                surviving += weights[index]
            } else if age < upper {
                surviving += weights[index] * (upper - age) / (upper - lower)
            }
        }
        return total > 0 ? surviving / total : 1
    }
}
