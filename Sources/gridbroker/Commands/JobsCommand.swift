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

    func run() async throws {
        let client = APIClient(baseURL: api.baseURL)
        let body = try await client.get("/v1/jobs", query: [("state", state), ("limit", String(limit))])
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let page = try client.decode(JobListResponse.self, from: body)
        var table = TextTable([
            ("ID", .left), ("NAME", .left), ("STATE", .left), ("SPEND", .right), ("CREATED", .left), ("REASON", .left),
        ])
        for job in page.jobs {
            table.append([
                job.id, job.name, job.state, usd(job.spendUsd), RFC3339.string(from: job.createdAt), job.reason ?? "",
            ])
        }
        print(table.rendered)
    }
}
