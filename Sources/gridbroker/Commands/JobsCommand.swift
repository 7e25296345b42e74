import ArgumentParser
import BrokerCore
import BrokerHTTP
import Foundation

/// `gridbroker jobs`: the team's jobs, newest first.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List the team's jobs.")

    @OptionGroup var api: APIOptions
    @Option(help: "Only jobs in these states (comma-separated: queued, provisioning, running, …).") var state: String?
    @Option(help: "How many jobs.") var limit: Int = 50
    @Option(help: "With an admin token: only this team's jobs (default: every team's).") var team: String?

    func run() async throws {
        let client = try api.client()
        let body = try await client.get(
            "/v1/jobs", query: [("state", state), ("limit", String(limit)), ("team", team)])
        try api.show(body, as: JobListResponse.self, from: client, Self.table)
    }

    /// A page of jobs as a table (also `gridbroker admin jobs list`'s).
    static func table(_ page: JobListResponse) -> String {
        var table = TextTable([
            ("ID", .left), ("TEAM", .left), ("NAME", .left), ("STATE", .left), ("SPEND", .right), ("CREATED", .left),
            ("REASON", .left),
        ])
        for job in page.jobs {
            table.append([
                job.id, job.team, job.name, job.state, usd(job.spendUsd), RFC3339.string(from: job.createdAt),
                job.reason ?? "",
            ])
        }
        return table.rendered
    }
}
