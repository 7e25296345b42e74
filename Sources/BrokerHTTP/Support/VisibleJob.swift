import Broker
import Store

extension JobQueries {
    /// The job `id` if `identity` may see it, else a 404 (another team's job is not found either).
    func visibleJob(_ id: String, to identity: Identity) async throws -> JobRecord {
        guard let job = try await job(id: id), identity.canSee(team: job.teamId) else {
            throw ProblemDetails(status: .notFound, detail: "job \(id) not found")
        }
        return job
    }
}
