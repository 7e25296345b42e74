import BrokerCore
import Store

/// What teams and operators read about jobs, whichever door they come through: a job, its nodes
/// and shards, its timeline, a page of jobs, a team's spend. Who may see which job is the caller's
/// to check.
public struct JobQueries: Sendable {
    private let jobs: any JobRepository
    private let nodes: any NodeRepository
    private let clock: any BrokerClock

    public init(jobs: any JobRepository, nodes: any NodeRepository, clock: any BrokerClock) {
        self.jobs = jobs
        self.nodes = nodes
        self.clock = clock
    }

    public func job(id: String) async throws -> JobRecord? {
        try await jobs.job(id: id)
    }

    /// Every node the job has had, in the order they were asked for.
    public func nodes(ofJob id: String) async throws -> [NodeRecord] {
        try await nodes.nodes(ofJob: id)
    }

    /// How many shards the job has, and how many are done.
    public func shardCounts(ofJob id: String) async throws -> (total: Int, done: Int) {
        try await nodes.shardCounts(ofJob: id)
    }

    /// The job's timeline, oldest first.
    public func events(ofJob id: String) async throws -> [EventRecord] {
        try await jobs.events(ofJob: id)
    }

    /// Up to `limit` jobs, newest first, after the job `cursor` (of `team` and in `states` when given).
    public func list(team: String?, states: Set<JobState>?, limit: Int, after cursor: String?) async throws
        -> [ListedJob]
    {
        try await jobs.list(team: team, states: states, limit: limit, after: cursor)
    }

    /// What team `id` has spent until now, by job and by provider.
    public func usage(team id: String) async throws -> UsageReport {
        try await nodes.usage(team: id, at: clock.now)
    }
}
