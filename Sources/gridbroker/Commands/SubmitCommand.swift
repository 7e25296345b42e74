import ArgumentParser
import BrokerHTTP
import Foundation

/// `gridbroker submit job.yaml`: queue a job; the broker places it on the cheapest placement.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a job spec (JSON or YAML); prints the job's id.")

    @OptionGroup var api: APIOptions
    @Argument(help: "The job spec file (.json, .yaml or .yml).") var spec: String
    @Option(help: "Submitting again with the same key and file gives the same job, not a second one.")
    var idempotencyKey: String?
    @Option(help: "With an admin token: the team to act for (default: the default team).") var team: String?

    func run() async throws {
        let client = try api.client()
        let body = try await client.post(
            "/v1/jobs", query: [("team", team)], json: try JobSpecFile.jsonBody(at: spec),
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let job = try client.decode(JobResponse.self, from: body)
        print("\(job.id) \(job.state)")
    }
}
