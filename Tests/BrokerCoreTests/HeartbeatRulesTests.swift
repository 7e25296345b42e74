import BrokerCore
import Foundation
import Testing

@Suite("What a heartbeat means: a node's start, the newest checkpoint, the job's end")
struct HeartbeatRulesTests {
    @Test("every shard done is success, in running or migrating; nothing ends a job in another state")
    func shardsDone() {
        for job in [JobState.running, .migrating] {
            #expect(
                HeartbeatRules.outcome(job: job, node: .preempting, rank: 1, shards: (4, 4), exitCode: nil)
                    == .succeed(reason: "all 4 shards done"))
        }
        #expect(HeartbeatRules.outcome(job: .running, node: .running, rank: 0, shards: (4, 3), exitCode: nil) == nil)
        #expect(HeartbeatRules.outcome(job: .provisioning, node: .running, rank: 0, shards: (4, 4), exitCode: 1) == nil)
    }

    @Test("without a dataset, rank 0 exiting 0 while the job runs ends it; another rank's does not")
    func noDataset() {
        #expect(
            HeartbeatRules.outcome(job: .running, node: .running, rank: 0, shards: (0, 0), exitCode: 0)
                == .succeed(reason: "rank 0's command finished (the job has no dataset)"))
        #expect(HeartbeatRules.outcome(job: .running, node: .running, rank: 1, shards: (0, 0), exitCode: 0) == nil)
        #expect(HeartbeatRules.outcome(job: .migrating, node: .running, rank: 0, shards: (0, 0), exitCode: 0) == nil)
    }

    @Test("a failing command fails the job only from a node meant to run in a whole gang")
    func failures() {
        #expect(
            HeartbeatRules.outcome(job: .running, node: .running, rank: 2, shards: (8, 1), exitCode: 3)
                == .fail(reason: "node 2's command exited with code 3"))
        #expect(HeartbeatRules.outcome(job: .running, node: .preempting, rank: 2, shards: (8, 1), exitCode: 143) == nil)
        #expect(
            HeartbeatRules.outcome(job: .running, node: .terminating, rank: 2, shards: (8, 1), exitCode: 143) == nil)
        #expect(HeartbeatRules.outcome(job: .migrating, node: .running, rank: 0, shards: (8, 1), exitCode: 1) == nil)
    }

    @Test("a node starts on its first report; only a newer checkpoint replaces the job's")
    func startAndCheckpoint() {
        #expect(HeartbeatRules.startsNode(.booting))
        #expect(!HeartbeatRules.startsNode(.running) && !HeartbeatRules.startsNode(.preempting))
        let newest = Date(timeIntervalSince1970: 1_000)
        #expect(HeartbeatRules.keepsCheckpoint(reportedAt: newest, newest: nil))
        #expect(HeartbeatRules.keepsCheckpoint(reportedAt: newest.addingTimeInterval(1), newest: newest))
        #expect(!HeartbeatRules.keepsCheckpoint(reportedAt: newest, newest: newest))
    }
}
