import BrokerCore
import Crypto
import Foundation
import Store

/// What a team does to its jobs, whichever door it comes through (the JSON API, the web console):
/// submit a validated spec, cancel a job. Who may act on which job is the caller's to check.
public struct JobControl: Sendable {
    /// Why a submission or a cancellation was refused.
    public enum Refusal: Error, Sendable, Equatable {
        case teamNotFound(String)
        /// The spec's `dataset.manifest` cannot be used: the message says why.
        case manifest(String)
        /// The job has already ended, in this state.
        case alreadyEnded(job: String, state: JobState)
    }

    private let jobs: any JobRepository
    private let nodes: any NodeRepository
    private let teams: any TeamRepository
    private let clock: any BrokerClock
    private let signals: FleetSignals
    private let manifests: DatasetManifests?

    public init(
        jobs: any JobRepository, nodes: any NodeRepository, teams: any TeamRepository, clock: any BrokerClock,
        signals: FleetSignals, manifests: DatasetManifests?
    ) {
        self.jobs = jobs
        self.nodes = nodes
        self.teams = teams
        self.clock = clock
        self.signals = signals
        self.manifests = manifests
    }

    /// Queues `spec` (read from `body`) for `team`. With an `idempotencyKey` the team used before,
    /// the job stored then (the same body) or a ``StoreError/conflict(_:)`` (another body).
    public func submit(_ spec: JobSpec, body: [UInt8], team: String, idempotencyKey: String?) async throws
        -> JobRecord
    {
        let now = clock.now
        guard try await teams.team(id: team) != nil else { throw Refusal.teamNotFound(team) }
        let shardObjects = try await shardObjects(of: spec)
        let record = JobRecord(
            id: Identifier.make("job", at: now), teamId: team, name: spec.name,
            spec: String(decoding: try spec.storedJSON(), as: UTF8.self), deadline: spec.deadline,
            idempotencyKey: idempotencyKey,
            requestHash: Hex.string(SHA256.hash(data: body)), createdAt: now)
        let stored = try await jobs.submit(record, shardObjects: shardObjects)
        if stored.id == record.id { signals.jobSubmitted() }
        return stored
    }

    /// Cancels `job`: its live nodes go to terminating (`byOperator` says who, on the timeline).
    public func cancel(_ job: JobRecord, byOperator: Bool) async throws -> JobRecord {
        guard !job.state.isTerminal else { throw Refusal.alreadyEnded(job: job.id, state: job.state) }
        let finished = try await nodes.finish(
            job: job.id, with: .cancel, reason: byOperator ? "cancelled by an operator" : "cancelled by the team",
            at: clock.now)
        signals.jobEnded()
        return finished.job
    }

    /// The job's dataset manifest split into its shards (nil without one).
    private func shardObjects(of spec: JobSpec) async throws -> [[String]]? {
        guard let dataset = spec.dataset, dataset.manifest != nil else { return nil }
        guard let manifests else { throw Refusal.manifest("this broker reads no dataset manifests") }
        do {
            return try await manifests.shardObjects(of: dataset)
        } catch {
            throw Refusal.manifest(error.description)
        }
    }
}
