import ArgumentParser
import BrokerCore
import BrokerHTTP
import Foundation

/// `gridbroker logs JOB [--rank N] [-f]`: the job's output, as its nodes' agents sent it.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's output (every node's, or one rank's), and with -f follow it until the job ends.")

    @OptionGroup var api: APIOptions
    @Argument(help: "The job's id.") var id: String
    @Option(help: "Only this rank's nodes.") var rank: Int?
    @Option(help: "How many lines to print first (the last ones).") var tail = 1_000
    @Flag(name: [.short, .customLong("follow")], help: "Keep printing new lines until the job has ended.")
    var follow = false

    /// How often -f asks for new lines.
    static let pollInterval: Duration = .seconds(1)

    func validate() throws {
        guard (1...10_000).contains(tail) else { throw ValidationError("--tail must be 1...10000") }
        if let rank, rank < 0 { throw ValidationError("--rank must be 0 or more") }
    }

    func run() async throws {
        let client = try api.client()
        var since: String?
        var quietSinceEnd = false
        while true {
            let page = try await page(client, since: since)
            for line in page.lines {
                if api.json {
                    print(String(decoding: try JSONEncoder().encode(line), as: UTF8.self))
                } else {
                    print("\(line.at) [\(line.rank)] \(line.text)")
                }
            }
            since = page.lines.last?.at ?? since
            guard follow else { return }
            if !page.lines.isEmpty { quietSinceEnd = false }
            // Lines can still arrive just after the job ends: stop after one quiet look once it has.
            if page.lines.isEmpty, try await jobHasEnded(client) {
                if quietSinceEnd { return }
                quietSinceEnd = true
            }
            if page.lines.count < 10_000 { try await Task.sleep(for: Self.pollInterval) }
        }
    }

    private func page(_ client: APIClient, since: String?) async throws -> LogListResponse {
        let body = try await client.get(
            "/v1/jobs/\(id)/logs",
            query: [
                ("rank", rank.map(String.init)), ("since", since), ("limit", since == nil ? String(tail) : "10000"),
            ])
        return try client.decode(LogListResponse.self, from: body)
    }

    private func jobHasEnded(_ client: APIClient) async throws -> Bool {
        let job = try client.decode(JobResponse.self, from: try await client.get("/v1/jobs/\(id)"))
        return JobState(rawValue: job.state)?.isTerminal ?? true
    }
}
