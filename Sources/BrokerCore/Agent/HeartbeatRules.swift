#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an agent's heartbeat means for its node and its job: the rules the store applies, in one
/// transaction, to what it read.
public enum HeartbeatRules {
    /// How the heartbeat ends the job, if it does.
    public enum JobOutcome: Sendable, Equatable {
        case succeed(reason: String)
        case fail(reason: String)

        /// The job's move.
        public var event: JobEvent {
            switch self {
            case .succeed: .succeed
            case .fail: .fail
            }
        }

        /// Why, for the job's timeline.
        public var reason: String {
            switch self {
            case .succeed(let reason), .fail(let reason): reason
            }
        }

        /// Why its live nodes terminate.
        public var nodesReason: String {
            switch self {
            case .succeed: "job succeeded"
            case .fail: "job failed"
            }
        }
    }

    /// A node's first report is its start: a node runs once its agent does.
    public static func startsNode(_ state: NodeState) -> Bool { state == .booting }

    /// Whether a checkpoint completed at `reportedAt` is newer than the job's newest (`newest`,
    /// nil when it has none) and replaces it.
    public static func keepsCheckpoint(reportedAt: Date, newest: Date?) -> Bool {
        newest.map { $0 < reportedAt } ?? true
    }

    /// The job's end this heartbeat brings, from the job's and node's states after the report,
    /// the job's shards (with this report's counted) and the command's exit code when it exited:
    /// - every shard done: success;
    /// - no dataset (no shards): rank 0's command exiting 0 while the job runs is the end;
    /// - a command exiting non-zero fails the job, but only from a node still meant to run in a
    ///   whole gang: one the broker stopped (SIGTERM, 143) or that is being reclaimed is replaced
    ///   anyway, and a survivor whose peer vanished mid-migration lost the rendezvous, not the job.
    public static func outcome(
        job: JobState, node: NodeState, rank: Int, shards: (total: Int, done: Int), exitCode: Int?
    ) -> JobOutcome? {
        guard job == .running || job == .migrating else { return nil }
        if shards.total > 0, shards.done == shards.total {
            return .succeed(reason: "all \(shards.total) shards done")
        }
        guard let code = exitCode, node == .running, job == .running else { return nil }
        if shards.total == 0, code == 0, rank == 0 {
            return .succeed(reason: "rank 0's command finished (the job has no dataset)")
        }
        if code != 0 { return .fail(reason: "node \(rank)'s command exited with code \(code)") }
        return nil
    }
}
