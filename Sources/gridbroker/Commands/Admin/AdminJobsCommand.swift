import ArgumentParser
import BrokerHTTP

/// `gridbroker admin jobs list|cancel`: every team's jobs.
struct AdminJobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Every team's jobs.", subcommands: [List.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every team's jobs.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only this team's jobs.") var team: String?
        @Option(help: "Only jobs in these states (comma-separated).") var state: String?
        @Option(help: "How many jobs.") var limit: Int = 50

        func run() async throws {
            let client = try api.client()
            let body = try await client.get(
                "/v1/admin/jobs", query: [("team", team), ("state", state), ("limit", String(limit))])
            try api.show(body, as: JobListResponse.self, from: client, JobsCommand.table)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel any team's job; its nodes are terminated.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The job's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/jobs/\(id)/cancel")
            try api.show(body, as: JobResponse.self, from: client, CancelCommand.summary)
        }
    }
}
