import BrokerCore
import Testing

@Suite("Shard planning")
struct ShardPlannerTests {
    @Test("equal nodes get equal contiguous runs; the remainder goes to the earliest")
    func equalNodes() {
        #expect(ShardPlanner.split(Array(0..<10), weights: [1, 1, 1]) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]])
    }

    @Test("shards follow speed: a node three times as fast gets three times the shards")
    func proportional() {
        let runs = ShardPlanner.split(Array(0..<512), weights: [3, 1])
        #expect(runs.map(\.count) == [384, 128])
        #expect(runs.flatMap { $0 } == Array(0..<512))
    }

    @Test("every shard is handed out exactly once, whatever the weights", arguments: 1...40 as ClosedRange<UInt64>)
    func everyShardOnce(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let weights = (0...random.next(8)).map { _ in Double(1 + random.next(50)) / 10 }
        let shards = Array(0..<random.next(1001))
        let runs = ShardPlanner.split(shards, weights: weights)
        #expect(runs.count == weights.count)
        #expect(runs.flatMap { $0 } == shards)
        let total = weights.reduce(0, +)
        for (run, weight) in zip(runs, weights) {
            #expect(abs(Double(run.count) - Double(shards.count) * weight / total) < 1)
        }
    }

    @Test("a zero or negative weight still gets work, fewer shards than nodes leave some idle")
    func edgeCases() {
        #expect(ShardPlanner.split(Array(0..<4), weights: [1, 0]).map(\.count) == [2, 2])
        #expect(ShardPlanner.split([7], weights: [1, 1]) == [[7], []])
        #expect(ShardPlanner.split([1, 2], weights: []) == [])
    }
}
