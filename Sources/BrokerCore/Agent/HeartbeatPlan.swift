#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one agent heartbeat changes, worked out from what the store read in the heartbeat's
/// transaction by ``HeartbeatRules``, in order: the node starts, then its shards are done, then the
/// checkpoint is kept, then the job ends. The store writes exactly this, and decides nothing.
public struct HeartbeatPlan: Sendable, Equatable {
    /// A checkpoint a node reported: where, and when it was completed.
    public struct Checkpoint: Sendable, Equatable {
        public var uri: String
        public var completedAt: Date

        public init(uri: String, completedAt: Date) {
            self.uri = uri
            self.completedAt = completedAt
        }
    }

    /// Whether the report starts the node (its agent's first).
    public let startsNode: Bool
    /// The shards the report finishes: those it names that were the node's and not done yet, in
    /// order. A failed node finishes none.
    public let shardsDone: [Int]
    /// The checkpoint the job keeps as its newest, when the report's is newer than the job's.
    public let checkpoint: Checkpoint?
    /// How the report ends the job, if it does (its live nodes then terminate).
    public let jobOutcome: HeartbeatRules.JobOutcome?

    /// The plan for a report from a node in `node` state (rank `rank`) of a job in `job` state
    /// whose newest checkpoint was completed at `newestCheckpoint`: the node still had
    /// `nodeShardsLeft` to do, of the job's `shards`; the report names `reportedDone` shards
    /// done, a checkpoint, and the command's exit code when it exited.
    public init(
        node: NodeState, rank: Int, job: JobState, newestCheckpoint: Date?, nodeShardsLeft: Set<Int>,
        shards: (total: Int, done: Int), reportedDone: [Int], reportedCheckpoint: Checkpoint?, exitCode: Int?
    ) {
        startsNode = HeartbeatRules.startsNode(node)
        let nodeAfter = startsNode ? (try? node.applying(.start)) ?? node : node
        shardsDone = nodeAfter == .failed ? [] : nodeShardsLeft.intersection(reportedDone).sorted()
        checkpoint = reportedCheckpoint.flatMap {
            HeartbeatRules.keepsCheckpoint(reportedAt: $0.completedAt, newest: newestCheckpoint) ? $0 : nil
        }
        jobOutcome = HeartbeatRules.outcome(
            job: job, node: nodeAfter, rank: rank, shards: (shards.total, shards.done + shardsDone.count),
            exitCode: exitCode)
    }
}
