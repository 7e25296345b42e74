import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Jobs on every backend: submission, idempotency, state changes and their timeline")
struct JobRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func job(_ id: String, key: String? = nil, hash: String? = nil, priority: Int = 0, at offset: Double = 0)
        -> JobRecord
    {
        JobRecord(
            id: id, teamId: "team_1", name: "llama", spec: #"{"name":"llama"}"#, priority: priority,
            idempotencyKey: key, requestHash: hash, createdAt: start.addingTimeInterval(offset))
    }

    @Test(arguments: StoreBackend.available) func submittedJobIsQueuedWithASubmissionEvent(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            let stored = try await jobs.submit(job("job_1"))
            #expect(stored.state == .queued)
            #expect(try await jobs.job(id: "job_1") == stored)
            let timeline = try await jobs.events(ofJob: "job_1")
            #expect(timeline.map(\.kind) == ["job.submitted"])
        }
    }

    @Test(arguments: StoreBackend.available) func sameIdempotencyKeyAndBodyGivesTheSameJobOnce(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            let first = try await jobs.submit(job("job_1", key: "k1", hash: "h1"))
            let second = try await jobs.submit(job("job_2", key: "k1", hash: "h1", at: 5))
            #expect(second == first)
            #expect(try await jobs.job(id: "job_2") == nil)
        }
    }

    @Test(arguments: StoreBackend.available) func sameIdempotencyKeyWithAnotherBodyIsAConflict(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            _ = try await jobs.submit(job("job_1", key: "k1", hash: "h1"))
            await #expect(throws: StoreError.conflict("Idempotency-Key 'k1' was already used with a different request"))
            {
                try await jobs.submit(job("job_2", key: "k1", hash: "other"))
            }
        }
    }

    @Test(arguments: StoreBackend.available) func stateChangesFollowTheMachineAndLandOnTheTimeline(
        _ backend: StoreBackend
    ) async throws {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
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
    }

    @Test(arguments: StoreBackend.available) func forbiddenStateChangeThrowsAndChangesNothing(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            let queued = try await jobs.submit(job("job_1"))
            await #expect(throws: StoreError.invalidTransition("job cannot 'succeed' from 'queued'")) {
                try await jobs.apply(.succeed, toJob: "job_1", reason: nil, at: start)
            }
            #expect(try await jobs.job(id: "job_1") == queued)
            #expect(try await jobs.events(ofJob: "job_1").count == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func unknownJobIsNotFound(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            await #expect(throws: StoreError.notFound(entity: "job", id: "job_x")) {
                try await jobs.apply(.cancel, toJob: "job_x", reason: nil, at: start)
            }
        }
    }

    @Test(arguments: StoreBackend.available) func queueOrderIsPriorityThenAge(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            _ = try await jobs.submit(job("old_low", at: 0))
            _ = try await jobs.submit(job("new_high", priority: 5, at: 20))
            _ = try await jobs.submit(job("new_low", at: 10))
            _ = try await jobs.submit(job("done", at: 1))
            _ = try await jobs.apply(.cancel, toJob: "done", reason: nil, at: start)
            let queued = try await jobs.jobs(in: [.queued], limit: 10)
            #expect(queued.map(\.id) == ["new_high", "old_low", "new_low"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentSubmitsUnderOneKeyStoreOneJob(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            // Two brokers (two connections on PostgreSQL) take the same request at once.
            let first = try await open().jobsOfOneTeam(at: start)
            let second = try await open().jobs
            async let a = first.submit(job("job_a", key: "k1", hash: "h1"))
            async let b = second.submit(job("job_b", key: "k1", hash: "h1"))
            let (stored, again) = try await (a, b)
            #expect(stored == again)
            #expect(try await first.jobs(in: [.queued], limit: 10).map(\.id) == [stored.id])
            #expect(try await first.events(ofJob: stored.id).map(\.kind) == ["job.submitted"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func listsCountShardsAndPageNewestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let jobs = try await store.jobsOfOneTeam(at: start)
            for index in 1...3 { _ = try await jobs.submit(job("job_\(index)", at: Double(index))) }
            _ = try await jobs.apply(.cancel, toJob: "job_2", reason: nil, at: start)
            let firstPage = try await jobs.list(team: "team_1", states: nil, limit: 2, after: nil)
            #expect(firstPage.map(\.job.id) == ["job_3", "job_2"])
            #expect(firstPage.allSatisfy { $0.shards == (0, 0) })
            let next = try await jobs.list(team: "team_1", states: nil, limit: 2, after: "job_2")
            #expect(next.map(\.job.id) == ["job_1"])
            #expect(
                try await jobs.list(team: nil, states: [.cancelled], limit: 5, after: nil).map(\.job.id) == ["job_2"])
            #expect(try await jobs.list(team: "team_x", states: nil, limit: 5, after: nil).isEmpty)
        }
    }
}

extension BrokerStore {
    /// The jobs, with the team `team_1` ("vision", $900 budget) created first.
    func jobsOfOneTeam(at date: Date) async throws -> any JobRepository {
        _ = try await teams.create(
            TeamRecord(id: "team_1", name: "vision", budget: Money(microdollars: 900_000_000), createdAt: date))
        return jobs
    }
}
