import Broker
import BrokerCore
import Crypto
import Foundation
import Hummingbird
import Store

/// The team's jobs: submit (idempotent with `Idempotency-Key`), list, show, timeline, cancel, and
/// the team's spend (`GET /v1/usage`).
struct JobRoutes {
    let jobs: any JobRepository
    let nodes: any NodeRepository
    let catalog: GPUCatalog
    let clock: any BrokerClock
    let signals: FleetSignals
    /// The team requests act for.
    let teamID: String

    static let maximumIdempotencyKeyLength = 255

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/jobs") { request, _ in try await submit(request) }
        router.get("v1/jobs") { request, _ in try await list(request) }
        router.get("v1/jobs/:id") { _, context in
            let job = try await job(context.parameters.require("id"))
            return JSONResponse(
                JobResponse(
                    job, nodes: try await nodes.nodes(ofJob: job.id), catalog: catalog, now: clock.now,
                    shards: try await nodes.shardCounts(ofJob: job.id)))
        }
        router.get("v1/jobs/:id/events") { _, context in
            let job = try await job(context.parameters.require("id"))
            return JSONResponse(EventListResponse(try await jobs.events(ofJob: job.id)))
        }
        router.post("v1/jobs/:id/cancel") { _, context in try await cancel(context.parameters.require("id")) }
        router.get("v1/usage") { _, _ in
            JSONResponse(UsageResponse(try await nodes.usage(team: teamID, at: clock.now)))
        }
    }

    private func submit(_ request: Request) async throws -> JSONResponse<JobResponse> {
        let now = clock.now
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > Self.maximumIdempotencyKeyLength {
            throw ProblemDetails(
                status: .badRequest,
                detail: "Idempotency-Key must be 1 to \(Self.maximumIdempotencyKeyLength) characters")
        }
        let body = try await JobSpecBody.read(request, catalog: catalog, now: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let record = JobRecord(
            id: Identifier.make("job", at: now), teamId: teamID, name: body.spec.name,
            spec: String(decoding: try encoder.encode(body.spec), as: UTF8.self), deadline: body.spec.deadline,
            idempotencyKey: key, requestHash: SHA256.hash(data: body.bytes).map { String(format: "%02x", $0) }.joined(),
            createdAt: now)
        let stored = try await jobs.submit(record)
        if stored.id == record.id { signals.jobSubmitted() }
        return JSONResponse(
            JobResponse(stored, nodes: try await nodes.nodes(ofJob: stored.id), catalog: catalog, now: clock.now),
            status: .created)
    }

    private func list(_ request: Request) async throws -> JSONResponse<JobListResponse> {
        var query = QueryReader(request)
        let states = query.list("state").map { names in
            Set(
                names.compactMap { name in
                    let state = JobState(rawValue: name)
                    if state == nil {
                        query.report(
                            "state",
                            "unknown state '\(name)'; one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    return state
                })
        }
        let limit = query.integer("limit", in: 1...500) ?? 50
        let cursor = query.string("cursor")
        try query.finish()
        let page = try await jobs.list(team: teamID, states: states, limit: limit + 1, after: cursor)
        let shown = Array(page.prefix(limit))
        return JSONResponse(
            JobListResponse(
                jobs: shown.map { JobResponse($0, nodes: [], catalog: catalog, now: clock.now) },
                nextCursor: page.count > limit ? shown.last?.id : nil))
    }

    private func cancel(_ id: String) async throws -> JSONResponse<JobResponse> {
        let job = try await job(id)
        guard !job.state.isTerminal else {
            throw ProblemDetails(status: .conflict, detail: "job \(id) has already \(job.state.rawValue)")
        }
        let finished = try await nodes.finish(job: id, with: .cancel, reason: "cancelled by the team", at: clock.now)
        signals.jobEnded()
        return JSONResponse(
            JobResponse(finished.job, nodes: try await nodes.nodes(ofJob: id), catalog: catalog, now: clock.now))
    }

    /// The team's job `id`, or a 404 (another team's job is not found either).
    private func job(_ id: String) async throws -> JobRecord {
        guard let job = try await jobs.job(id: id), job.teamId == teamID else {
            throw ProblemDetails(status: .notFound, detail: "job \(id) not found")
        }
        return job
    }
}
