import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Jobs: submission, idempotency, state changes and their timeline")
struct SQLiteJobRepositoryTests {
    private let jobs: SQLiteJobRepository
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-jobs-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        _ = try await SQLiteTeamRepository(database: database)
            .create(
                TeamRecord(id: "team_1", name: "vision", budget: Money(microdollars: 900_000_000), createdAt: start))
        jobs = SQLiteJobRepository(database: database)
    }

    private func job(_ id: String, key: String? = nil, hash: String? = nil, priority: Int = 0, at offset: Double = 0)
        -> JobRecord
    {
        JobRecord(
            id: id, teamId: "team_1", name: "llama", spec: #"{"name":"llama"}"#, priority: priority,
            idempotencyKey: key, requestHash: hash, createdAt: start.addingTimeInterval(offset))
    }

    @Test func submittedJobIsQueuedWithASubmissionEvent() async throws {
        let stored = try await jobs.submit(job("job_1"))
        #expect(stored.state == .queued)
        #expect(try await jobs.job(id: "job_1") == stored)
        let timeline = try await jobs.events(ofJob: "job_1")
        #expect(timeline.map(\.kind) == ["job.submitted"])
    }

    @Test func sameIdempotencyKeyAndBodyGivesTheSameJobOnce() async throws {
        let first = try await jobs.submit(job("job_1", key: "k1", hash: "h1"))
        let second = try await jobs.submit(job("job_2", key: "k1", hash: "h1", at: 5))
        #expect(second == first)
        #expect(try await jobs.job(id: "job_2") == nil)
    }

    @Test func sameIdempotencyKeyWithAnotherBodyIsAConflict() async throws {
        _ = try await jobs.submit(job("job_1", key: "k1", hash: "h1"))
        await #expect(throws: StoreError.conflict("Idempotency-Key 'k1' was already used with a different request")) {
            try await jobs.submit(job("job_2", key: "k1", hash: "other"))
        }
    }

    @Test func stateChangesFollowTheMachineAndLandOnTheTimeline() async throws {
        _ = try await jobs.submit(job("job_1"))
        _ = try await jobs.apply(.provision, toJob: "job_1", reason: nil, at: start.addingTimeInterval(1))
        let running = try await jobs.apply(.start, toJob: "job_1", reason: nil, at: start.addingTimeInterval(2))
        #expect(running.state == .running)
        #expect(running.startedAt == start.addingTimeInterval(2))
        let cancelled = try await jobs.apply(
            .cancel, toJob: "job_1", reason: "cancelled by user", at: start.addingTimeInterval(3))
        #expect(cancelled.state == .cancelled)
        #expect(cancelled.finishedAt == start.addingTimeInterval(3))

        let timeline = try await jobs.events(ofJob: "job_1")
        #expect(timeline.map(\.toState) == ["queued", "provisioning", "running", "cancelled"])
        #expect(timeline.last?.message == "cancelled by user")
    }

    @Test func forbiddenStateChangeThrowsAndChangesNothing() async throws {
        let queued = try await jobs.submit(job("job_1"))
        await #expect(throws: StoreError.invalidTransition("job cannot 'succeed' from 'queued'")) {
            try await jobs.apply(.succeed, toJob: "job_1", reason: nil, at: start)
        }
        #expect(try await jobs.job(id: "job_1") == queued)
        #expect(try await jobs.events(ofJob: "job_1").count == 1)
    }

    @Test func unknownJobIsNotFound() async throws {
        await #expect(throws: StoreError.notFound(entity: "job", id: "job_x")) {
            try await jobs.apply(.cancel, toJob: "job_x", reason: nil, at: start)
        }
    }

    @Test func queueOrderIsPriorityThenAge() async throws {
        _ = try await jobs.submit(job("old_low", at: 0))
        _ = try await jobs.submit(job("new_high", priority: 5, at: 20))
        _ = try await jobs.submit(job("new_low", at: 10))
        _ = try await jobs.submit(job("done", at: 1))
        _ = try await jobs.apply(.cancel, toJob: "done", reason: nil, at: start)
        let queued = try await jobs.jobs(in: [.queued], limit: 10)
        #expect(queued.map(\.id) == ["new_high", "old_low", "new_low"])
    }
}
