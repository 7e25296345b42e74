import BrokerCore
import Foundation

/// Where jobs and their timelines live. The daemon uses ``SQLiteJobRepository``; tests of the
/// services stand in their own.
public protocol JobRepository: Sendable {
    /// Stores a new job in `queued` with a `job.submitted` event. With an idempotency key that the
    /// team already used, returns the job stored then instead (and stores nothing), provided the
    /// request hash matches; a different body under the same key is a ``StoreError/conflict(_:)``.
    /// `shardObjects` (each shard's object URIs, by index) are stored with a new job whose dataset
    /// has a manifest.
    func submit(_ job: JobRecord, shardObjects: [[String]]?) async throws -> JobRecord
    func job(id: String) async throws -> JobRecord?
    /// The job's shards as lists of object URIs, by index; nil when its dataset has no manifest.
    func shardObjects(ofJob id: String) async throws -> [[String]]?
    /// Jobs in any of `states`, highest priority first, then oldest.
    func jobs(in states: Set<JobState>, limit: Int) async throws -> [JobRecord]
    /// Moves a job through its state machine and records the change on its timeline, in one
    /// transaction. A move the machine does not allow throws ``StoreError/invalidTransition(_:)``
    /// and changes nothing.
    func apply(_ event: JobEvent, toJob id: String, reason: String?, at: Date) async throws -> JobRecord
    /// The job's timeline, oldest first.
    func events(ofJob id: String) async throws -> [EventRecord]
    /// A team's jobs (every team's when `team` is nil), newest first, optionally only those in
    /// `states`, after the job `cursor` (the last id of the previous page), each with its shard
    /// counts as of the same read.
    func list(team: String?, states: Set<JobState>?, limit: Int, after cursor: String?) async throws -> [ListedJob]
    /// A `market: auto` job's policy state; nil before its first decision.
    func marketPilot(job id: String) async throws -> AutoMarketPilot?
    func saveMarketPilot(_ pilot: AutoMarketPilot, job id: String, at date: Date) async throws
}

/// A job as a list shows it: with how many shards it has and how many of them are done.
public struct ListedJob: Sendable {
    public var job: JobRecord
    public var shards: (total: Int, done: Int)

    public init(job: JobRecord, shards: (total: Int, done: Int)) {
        self.job = job
        self.shards = shards
    }
}

extension JobRepository {
    /// Stores a new job whose shards are plain numbers (see ``submit(_:shardObjects:)``).
    public func submit(_ job: JobRecord) async throws -> JobRecord {
        try await submit(job, shardObjects: nil)
    }
}

/// Where teams live.
public protocol TeamRepository: Sendable {
    func create(_ team: TeamRecord) async throws -> TeamRecord
    func team(id: String) async throws -> TeamRecord?
    /// Creates `team` unless a team with its id exists; returns the stored team.
    func ensure(_ team: TeamRecord) async throws -> TeamRecord
    /// Every team, by name.
    func teams() async throws -> [TeamRecord]
    /// Sets (or, with nil, removes) a team's budget. Unknown team: ``StoreError/notFound(entity:id:)``.
    func setBudget(_ budget: Money?, team id: String) async throws -> TeamRecord
}
