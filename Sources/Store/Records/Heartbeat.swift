import BrokerCore
import Foundation

/// What a node's agent reports in a heartbeat.
public struct Heartbeat: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case starting, running, exited
    }

    public var status: Status
    /// The command's exit code, with ``Status/exited``.
    public var exitCode: Int?
    /// Shards the node finished (repeating earlier ones is harmless).
    public var shardsDone: [Int]
    /// The last checkpoint the command completed, and when.
    public var checkpointURI: String?
    public var checkpointAt: Date?
    /// Where the other nodes of the gang reach this one.
    public var address: String?

    public init(
        status: Status, exitCode: Int? = nil, shardsDone: [Int] = [], checkpointURI: String? = nil,
        checkpointAt: Date? = nil, address: String? = nil
    ) {
        self.status = status
        self.exitCode = exitCode
        self.shardsDone = shardsDone
        self.checkpointURI = checkpointURI
        self.checkpointAt = checkpointAt
        self.address = address
    }
}

/// What the broker knows after a heartbeat: the node and its job as they are now, the shards
/// still the node's to do, and the nodes to terminate when the heartbeat ended the job.
public struct HeartbeatOutcome: Sendable {
    public var node: NodeRecord
    public var job: JobRecord
    public var nodesInJob: Int
    public var assignedShards: [Int]
    /// The address rank 0 of the job's current gang reported, once it has.
    public var masterAddress: String?
    public var terminating: [NodeRecord]
    /// Whether a node of the job is being reclaimed (the gang checkpoints).
    public var gangPreempting: Bool = false

    /// The outcome once `plan` is written: `node` as the heartbeat's transaction last wrote it,
    /// though taken from `gang` (every node of the job, read after the job's end), the shards left
    /// the node's before the plan, and the nodes the job's end sent to terminating.
    public init(
        node: NodeRecord, job: JobRecord, gang: [NodeRecord], shardsLeft: [Int], plan: HeartbeatPlan,
        terminating: [NodeRecord]
    ) {
        let finished = Set(plan.shardsDone)
        let rendezvous = Rendezvous.of(
            gang.map {
                Rendezvous.Member(
                    id: $0.id, rank: $0.rank, state: $0.state, requestedAt: $0.requestedAt, address: $0.address)
            })
        self.node = gang.first { $0.id == node.id } ?? node
        self.job = job
        nodesInJob = rendezvous.size
        assignedShards = shardsLeft.filter { !finished.contains($0) }
        masterAddress = rendezvous.master
        self.terminating = terminating
        gangPreempting = gang.contains { $0.state == .preempting }
    }

    public var commands: [AgentCommand] {
        AgentCommand.commands(node: node.state, job: job.state, gangPreempting: gangPreempting)
    }
}

extension HeartbeatPlan {
    /// The plan for `heartbeat` from `node` of `job`, which still had `nodeShardsLeft` to do of the
    /// job's `shards`, received at `date` (a checkpoint without its own time is as of `date`).
    public init(
        _ heartbeat: Heartbeat, node: NodeRecord, job: JobRecord, nodeShardsLeft: Set<Int>,
        shards: (total: Int, done: Int), at date: Date
    ) {
        self.init(
            node: node.state, rank: node.rank, job: job.state, newestCheckpoint: job.lastCheckpointAt,
            nodeShardsLeft: nodeShardsLeft, shards: shards, reportedDone: heartbeat.shardsDone,
            reportedCheckpoint: heartbeat.checkpointURI.map {
                HeartbeatPlan.Checkpoint(uri: $0, completedAt: heartbeat.checkpointAt ?? date)
            },
            exitCode: heartbeat.status == .exited ? heartbeat.exitCode : nil)
    }
}
