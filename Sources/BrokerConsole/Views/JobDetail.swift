import BrokerCore
import Foundation
import Store

/// What a job's page shows: its state and reason, its nodes with their price and spend, its shard
/// progress and its timeline, all as of `now`.
public struct JobDetail: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: String
        public var rank: Int
        public var state: NodeState
        public var provider: String
        public var market: Market
        public var gpu: String
        public var gpuCount: Int
        public var region: String
        public var pricePerHour: Money
        public var spend: Money
        public var reason: String?
    }

    public var id: String
    public var name: String
    public var team: String
    public var state: JobState
    public var reason: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The job's spend: the stored figure or, when fresher, its nodes' spend up to `now`.
    public var spend: Money
    /// What its live nodes cost per hour together.
    public var burnPerHour: Money
    public var nodes: [Node]
    public var progress: ShardProgress
    public var timeline: [EventRecord]

    public init(
        job: JobRecord, nodes: [NodeRecord], shards: (total: Int, done: Int), events: [EventRecord], now: Date
    ) {
        id = job.id
        name = job.name
        team = job.teamId
        state = job.state
        reason = job.reason
        createdAt = job.createdAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
        spend = max(job.spend, nodes.reduce(.zero) { $0 + $1.spend(at: now) })
        burnPerHour = nodes.filter { $0.launchedAt != nil && $0.terminatedAt == nil }.reduce(.zero) {
            $0 + $1.pricePerHour
        }
        self.nodes = nodes.map { node in
            Node(
                id: node.id, rank: node.rank, state: node.state, provider: node.providerId, market: node.market,
                gpu: node.gpu, gpuCount: node.gpuCount, region: node.region, pricePerHour: node.pricePerHour,
                spend: node.spend(at: now), reason: node.reason)
        }
        progress = ShardProgress(total: shards.total, done: shards.done)
        timeline = events
    }

    /// Whether the job can still be cancelled.
    public var isActive: Bool { !state.isTerminal }
}
