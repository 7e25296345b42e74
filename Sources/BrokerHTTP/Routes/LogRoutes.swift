import Broker
import BrokerCore
import Foundation
import Hummingbird

/// A job's output: `GET /v1/jobs/{id}/logs?rank=&since=&limit=&follow=`, with the same team
/// isolation as the job itself. Without `follow`, JSON: the lines after `since` (the first
/// `limit`), or the last `limit` without it. With `follow=true`, `text/event-stream`: those lines,
/// then every new one as it arrives (each event's id is its `at`, the `since` to resume from),
/// with a comment every ``keepAlive`` while quiet, until the job has ended and gone quiet.
struct LogRoutes {
    let jobs: JobQueries
    let logs: NodeLogStore
    /// A quiet follower gets a comment this often (and its stream ends once its job ended and a
    /// whole interval passed without output).
    let keepAlive: Duration

    func register(on router: some RouterMethods<BrokerRequestContext>) {
        router.get("v1/jobs/:id/logs") { request, context in
            try await logs(request, context: context, job: context.parameters.require("id"))
        }
    }

    private func logs(_ request: Request, context: BrokerRequestContext, job id: String) async throws -> Response {
        let identity = try context.requireIdentity()
        var query = QueryReader(request)
        let rank = query.integer("rank", in: 0...(JobSpec.Limits.maxNodes - 1))
        let since = query.date("since").map(NodeLogLine.stamp(of:))
        let limit = query.integer("limit", in: 1...10_000) ?? 1_000
        let follow = query.flag("follow") ?? false
        try query.finish()
        let job = try await jobs.visibleJob(id, to: identity)
        let nodes = try await jobs.nodes(ofJob: job.id).filter { rank == nil || $0.rank == rank }
        let selection = NodeLogStore.Selection(
            nodes: Dictionary(nodes.map { ($0.id, $0.rank) }, uniquingKeysWith: { first, _ in first }), rank: rank,
            since: since, limit: limit)
        guard follow else {
            let entries = try await logs.read(job: job.id, selection)
            return try JSONResponse(LogListResponse(entries)).response(from: request, context: context)
        }
        return try await stream(job: job.id, selection)
    }

    private func stream(job id: String, _ selection: NodeLogStore.Selection) async throws -> Response {
        let (history, followID, lines) = try await logs.follow(job: id, selection)
        let store = logs
        let jobs = jobs
        let keepAlive = keepAlive
        let body = ResponseBody { writer in
            defer { Task { await store.unfollow(job: id, id: followID) } }
            for entry in history { try await writer.write(ServerSentEvent.line(entry)) }
            let merged = KeepAliveLines(lines: lines, interval: keepAlive)
            var quiet = false
            for await item in merged {
                switch item {
                case .line(let entry):
                    quiet = false
                    try await writer.write(ServerSentEvent.line(entry))
                case .tick:
                    // The job ended and nothing came for a whole interval: its output is complete.
                    if quiet, try await jobs.job(id: id)?.state.isTerminal ?? true {
                        try await writer.write(ServerSentEvent.end)
                        try await writer.finish(nil)
                        return
                    }
                    quiet = true
                    try await writer.write(ServerSentEvent.keepAlive)
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
