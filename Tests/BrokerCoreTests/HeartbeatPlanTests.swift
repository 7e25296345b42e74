import BrokerCore
import Foundation
import Testing

@Suite("What one heartbeat writes: the node's start, its shards, the checkpoint, the job's end")
struct HeartbeatPlanTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func plan(
        node: NodeState = .running, rank: Int = 0, job: JobState = .running, newest: Date? = nil,
        left: Set<Int> = [], shards: (Int, Int) = (0, 0), done: [Int] = [], checkpointAt: Date? = nil,
        exitCode: Int? = nil
    ) -> HeartbeatPlan {
        HeartbeatPlan(
            node: node, rank: rank, job: job, newestCheckpoint: newest, nodeShardsLeft: left, shards: shards,
            reportedDone: done, reportedCheckpoint: checkpointAt.map { .init(uri: "s3://ckpt/\($0)", completedAt: $0) },
            exitCode: exitCode)
    }

    @Test("a node's last shards done end the job, counting only the shards that were the node's and left")
    func lastShardsEndTheJob() {
        let finishing = plan(left: [6, 7], shards: (8, 6), done: [5, 6, 7, 9])
        #expect(finishing.shardsDone == [6, 7])
        #expect(finishing.jobOutcome == .succeed(reason: "all 8 shards done"))
        // Shard 5 is another node's (or done already): repeating it finishes nothing.
        let repeated = plan(left: [6, 7], shards: (8, 6), done: [5])
        #expect(repeated.shardsDone.isEmpty && repeated.jobOutcome == nil)
    }

    @Test("a booting node's first report starts it, and then counts as running: its exit can fail the job")
    func firstReportStartsTheNode() {
        let first = plan(node: .booting, rank: 1, exitCode: 3)
        #expect(first.startsNode)
        #expect(first.jobOutcome == .fail(reason: "node 1's command exited with code 3"))
        #expect(!plan(node: .running).startsNode)
    }

    @Test("a failed node's report finishes no shard")
    func failedNodeFinishesNothing() {
        #expect(plan(node: .failed, left: [1], shards: (2, 1), done: [1]).shardsDone.isEmpty)
    }

    @Test("only a checkpoint newer than the job's newest is kept")
    func newerCheckpointKept() {
        let later = now.addingTimeInterval(60)
        #expect(plan(newest: now, checkpointAt: later).checkpoint?.completedAt == later)
        #expect(plan(newest: later, checkpointAt: now).checkpoint == nil)
        #expect(plan(newest: nil, checkpointAt: now).checkpoint?.uri == "s3://ckpt/\(now)")
    }
}
