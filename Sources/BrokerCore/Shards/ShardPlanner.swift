/// Spreads a job's shards over its nodes in proportion to their speed (a node's GPUs' relative
/// training speed times their count), so that every node finishes its share at about the same time.
public enum ShardPlanner {
    /// Splits `shards` (in order) into one contiguous run per weight, sized by the largest-remainder
    /// method: every run gets the whole part of its proportional share, and the shards left over go to
    /// the largest remainders (ties to the earlier node). Weights must be positive; a non-positive one
    /// counts as the smallest positive weight given, so no node is left idle by a bad figure.
    public static func split(_ shards: [Int], weights: [Double]) -> [[Int]] {
        guard !weights.isEmpty else { return [] }
        let floor = weights.filter { $0 > 0 }.min() ?? 1
        let usable = weights.map { $0 > 0 && $0.isFinite ? $0 : floor }
        let total = usable.reduce(0, +)
        let exact = usable.map { Double(shards.count) * $0 / total }
        var counts = exact.map { Int($0.rounded(.down)) }
        let leftover = shards.count - counts.reduce(0, +)
        let byRemainder = exact.indices.sorted {
            (exact[$0] - Double(counts[$0]), $1) > (exact[$1] - Double(counts[$1]), $0)
        }
        for index in byRemainder.prefix(leftover) { counts[index] += 1 }
        var runs: [[Int]] = []
        var start = 0
        for count in counts {
            runs.append(Array(shards[start..<start + count]))
            start += count
        }
        return runs
    }

    /// The weight of a node: its GPUs' relative speed times how many it has.
    public static func weight(gpu: GPUModel?, count: Int) -> Double {
        (gpu?.relativeSpeed ?? 1) * Double(max(count, 1))
    }
}
