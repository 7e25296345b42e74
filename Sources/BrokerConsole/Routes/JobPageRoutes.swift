import Broker
import BrokerCore
import Hummingbird
import Store

/// `/console/jobs`: the jobs the user may see, newest first; `/console/jobs/{id}`: one job, a
/// 404 when it is another team's (exactly like a missing one); `POST …/cancel` cancels it.
struct JobPageRoutes<Context: ConsoleRequestContext> {
    let jobs: JobQueries
    let control: JobControl
    let clock: any BrokerClock

    static var pageSize: Int { 50 }

    func register(on router: Router<Context>) {
        router.get("console/jobs") { request, context in
            let user = try context.requireUser()
            let cursor = FormFields(request.uri.query ?? "")["cursor"]
            let page = try await jobs.list(team: user.listedTeam, states: nil, limit: Self.pageSize + 1, after: cursor)
            let rows = page.prefix(Self.pageSize).map { listed in
                JobPages.Row(
                    job: listed.job, progress: ShardProgress(total: listed.shards.total, done: listed.shards.done))
            }
            let next = page.count > Self.pageSize ? rows.last?.job.id : nil
            return ConsoleResponse.page(
                "Jobs", user: user, current: "/console/jobs", JobPages.list(rows, next: next, user: user))
        }
        router.get("console/jobs/:id") { _, context in
            let user = try context.requireUser()
            let job = try await visibleJob(context.parameters.require("id"), to: user)
            let detail = JobDetail(
                job: job, nodes: try await jobs.nodes(ofJob: job.id),
                shards: try await jobs.shardCounts(ofJob: job.id),
                events: try await jobs.events(ofJob: job.id), now: clock.now)
            return ConsoleResponse.page(
                "Job \(job.name)", user: user, current: "/console/jobs", JobPages.detail(detail, user: user))
        }
        router.post("console/jobs/:id/cancel") { _, context in
            let user = try context.requireUser()
            let job = try await visibleJob(context.parameters.require("id"), to: user)
            do {
                _ = try await control.cancel(job, byOperator: user.isAdmin)
            } catch JobControl.Refusal.alreadyEnded(_, let state) {
                throw HTTPError(.conflict, message: "This job has already \(state.rawValue).")
            }
            return Response.redirect(to: "/console/jobs/\(job.id)")
        }
    }

    /// The job if `user` may see it; otherwise the same 404 as a job that does not exist.
    private func visibleJob(_ id: String, to user: ConsoleUser) async throws -> JobRecord {
        guard let job = try await jobs.job(id: id), user.canSee(team: job.teamId) else {
            throw HTTPError(.notFound, message: "No job \(id).")
        }
        return job
    }
}
