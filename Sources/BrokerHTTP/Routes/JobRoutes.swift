import Broker
import BrokerCore
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
    let jobs: JobQueries
    let control: JobControl
    let catalog: GPUCatalog
    let specs: JobSpecCache
    let clock: any BrokerClock

    static let maximumIdempotencyKeyLength = 255

    func register(on router: some RouterMethods<BrokerRequestContext>) {
        router.post("v1/jobs") { request, context in try await submit(request, as: try context.requireIdentity()) }
        router.get("v1/jobs") { request, context in try await list(request, as: try context.requireIdentity()) }
        router.get("v1/jobs/:id") { _, context in
            let job = try await job(context.parameters.require("id"), as: try context.requireIdentity())
            return JSONResponse(
                written: answer(
                    job, nodes: try await jobs.nodes(ofJob: job.id), shards: try await jobs.shardCounts(ofJob: job.id)
                ))
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
            return JSONResponse(UsageResponse(try await jobs.usage(team: team)))
        }
        // The operators' paths; the middleware lets only admin tokens through.
        router.get("v1/admin/jobs") { request, context in try await list(request, as: try context.requireIdentity()) }
        router.post("v1/admin/jobs/:id/cancel") { _, context in
            try await cancel(context.parameters.require("id"), as: try context.requireIdentity())
        }
    }

    private func submit(_ request: Request, as identity: Identity) async throws -> JSONResponse<JobResponse> {
        var query = QueryReader(request)
        let teamID = try identity.actingTeam(query.string("team"))
        try query.finish()
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > Self.maximumIdempotencyKeyLength {
            throw ProblemDetails(
                status: .badRequest,
                detail: "Idempotency-Key must be 1 to \(Self.maximumIdempotencyKeyLength) characters")
        }
        let body = try await JobSpecBody.read(request, catalog: catalog, now: clock.now)
        let stored = try await Self.problem {
            try await control.submit(body.spec, body: body.bytes, team: teamID, idempotencyKey: key)
        }
        return JSONResponse(written: answer(stored, nodes: try await jobs.nodes(ofJob: stored.id)), status: .created)
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
            written: JobListResponse(
                jobs: shown.map { answer($0.job, nodes: [], shards: $0.shards) },
                nextCursor: page.count > limit ? shown.last?.job.id : nil))
    }

    private func cancel(_ id: String, as identity: Identity) async throws -> JSONResponse<JobResponse> {
        let job = try await job(id, as: identity)
        let finished = try await Self.problem { try await control.cancel(job, byOperator: identity.isAdmin) }
        return JSONResponse(written: answer(finished, nodes: try await jobs.nodes(ofJob: id)))
    }

    /// `work`'s answer, its ``JobControl/Refusal`` as the API's problem.
    static func problem<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch JobControl.Refusal.teamNotFound(let team) {
            throw ProblemDetails(status: .notFound, detail: "team \(team) not found")
        } catch JobControl.Refusal.manifest(let message) {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid job spec",
                errors: [.init(field: "dataset.manifest", message: message)])
        } catch JobControl.Refusal.alreadyEnded(let job, let state) {
            throw ProblemDetails(status: .conflict, detail: "job \(job) has already \(state.rawValue)")
        }
    }

    /// `job` as the API shows it, its spec from the cache.
    private func answer(_ job: JobRecord, nodes: [NodeRecord], shards: (total: Int, done: Int)? = nil) -> JobResponse {
        JobResponse(job, spec: specs.entry(for: job), nodes: nodes, now: clock.now, shards: shards)
    }

    private func job(_ id: String, as identity: Identity) async throws -> JobRecord {
        try await jobs.visibleJob(id, to: identity)
    }
}
