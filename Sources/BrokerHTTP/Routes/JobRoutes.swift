import Broker
import BrokerCore
import Crypto
import Foundation
import Hummingbird
import Store

/// The team's jobs: submit (idempotent with `Idempotency-Key`), list, show, timeline, cancel, and
/// the team's spend (`GET /v1/usage`); and the operators' view of every team's jobs
/// (`/v1/admin/jobs`).
///
/// A member token acts for its own team: another team's job is a 404, exactly like a missing one.
/// An admin token sees and cancels every team's jobs; it submits and reads usage for the team
/// named by `?team=` (default: the default team), and `?team=` narrows its lists.
struct JobRoutes {
    let jobs: any JobRepository
    let nodes: any NodeRepository
    let teams: any TeamRepository
    let catalog: GPUCatalog
    let clock: any BrokerClock
    let signals: FleetSignals
    let manifests: DatasetManifests?

    static let maximumIdempotencyKeyLength = 255

    func register(on router: some RouterMethods<BrokerRequestContext>) {
        router.post("v1/jobs") { request, context in try await submit(request, as: try context.requireIdentity()) }
        router.get("v1/jobs") { request, context in try await list(request, as: try context.requireIdentity()) }
        router.get("v1/jobs/:id") { _, context in
            let job = try await job(context.parameters.require("id"), as: try context.requireIdentity())
            return JSONResponse(
                JobResponse(
                    job, nodes: try await nodes.nodes(ofJob: job.id), catalog: catalog, now: clock.now,
                    shards: try await nodes.shardCounts(ofJob: job.id)))
        }
        router.get("v1/jobs/:id/events") { _, context in
            let job = try await job(context.parameters.require("id"), as: try context.requireIdentity())
            return JSONResponse(EventListResponse(try await jobs.events(ofJob: job.id)))
        }
        router.post("v1/jobs/:id/cancel") { _, context in
            try await cancel(context.parameters.require("id"), as: try context.requireIdentity())
        }
        router.get("v1/usage") { request, context in
            var query = QueryReader(request)
            let team = try context.requireIdentity().actingTeam(query.string("team"))
            try query.finish()
            return JSONResponse(UsageResponse(try await nodes.usage(team: team, at: clock.now)))
        }
        // The operators' paths; the middleware lets only admin tokens through.
        router.get("v1/admin/jobs") { request, context in try await list(request, as: try context.requireIdentity()) }
        router.post("v1/admin/jobs/:id/cancel") { _, context in
            try await cancel(context.parameters.require("id"), as: try context.requireIdentity())
        }
    }

    private func submit(_ request: Request, as identity: Identity) async throws -> JSONResponse<JobResponse> {
        let now = clock.now
        var query = QueryReader(request)
        let teamID = try identity.actingTeam(query.string("team"))
        try query.finish()
        guard try await teams.team(id: teamID) != nil else {
            throw ProblemDetails(status: .notFound, detail: "team \(teamID) not found")
        }
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > Self.maximumIdempotencyKeyLength {
            throw ProblemDetails(
                status: .badRequest,
                detail: "Idempotency-Key must be 1 to \(Self.maximumIdempotencyKeyLength) characters")
        }
        let body = try await JobSpecBody.read(request, catalog: catalog, now: now)
        let shardObjects = try await shardObjects(of: body.spec)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let record = JobRecord(
            id: Identifier.make("job", at: now), teamId: teamID, name: body.spec.name,
            spec: String(decoding: try encoder.encode(body.spec), as: UTF8.self), deadline: body.spec.deadline,
            idempotencyKey: key, requestHash: Hex.string(SHA256.hash(data: body.bytes)),
            createdAt: now)
        let stored = try await jobs.submit(record, shardObjects: shardObjects)
        if stored.id == record.id { signals.jobSubmitted() }
        return JSONResponse(
            JobResponse(stored, nodes: try await nodes.nodes(ofJob: stored.id), catalog: catalog, now: clock.now),
            status: .created)
    }

    /// The job's dataset manifest split into its shards (nil without one); a 400 naming the line
    /// when it cannot be read.
    private func shardObjects(of spec: JobSpec) async throws -> [[String]]? {
        guard let dataset = spec.dataset, dataset.manifest != nil else { return nil }
        guard let manifests else {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid job spec",
                errors: [.init(field: "dataset.manifest", message: "this broker reads no dataset manifests")])
        }
        do {
            return try await manifests.shardObjects(of: dataset)
        } catch {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid job spec",
                errors: [.init(field: "dataset.manifest", message: error.description)])
        }
    }

    private func list(_ request: Request, as identity: Identity) async throws -> JSONResponse<JobListResponse> {
        var query = QueryReader(request)
        let team = try identity.visibleTeam(query.string("team"))
        let states = query.choices("state", as: JobState.self)
        let limit = query.integer("limit", in: 1...500) ?? 50
        let cursor = query.cursor("cursor", prefix: "job")
        try query.finish()
        let page = try await jobs.list(team: team, states: states, limit: limit + 1, after: cursor)
        let shown = Array(page.prefix(limit))
        return JSONResponse(
            JobListResponse(
                jobs: shown.map { JobResponse($0, nodes: [], catalog: catalog, now: clock.now) },
                nextCursor: page.count > limit ? shown.last?.id : nil))
    }

    private func cancel(_ id: String, as identity: Identity) async throws -> JSONResponse<JobResponse> {
        let job = try await job(id, as: identity)
        guard !job.state.isTerminal else {
            throw ProblemDetails(status: .conflict, detail: "job \(id) has already \(job.state.rawValue)")
        }
        let finished = try await nodes.finish(
            job: id, with: .cancel, reason: identity.isAdmin ? "cancelled by an operator" : "cancelled by the team",
            at: clock.now)
        signals.jobEnded()
        return JSONResponse(
            JobResponse(finished.job, nodes: try await nodes.nodes(ofJob: id), catalog: catalog, now: clock.now))
    }

    private func job(_ id: String, as identity: Identity) async throws -> JobRecord {
        try await jobs.visibleJob(id, to: identity)
    }
}
