import ArgumentParser
import BrokerHTTP
import Foundation

/// `gridbroker cancel ID`: stop a job; its nodes are terminated.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a job and terminate its nodes.")

    @OptionGroup var api: APIOptions
    @Argument(help: "The job's id.") var id: String

    func run() async throws {
        let client = try api.client()
        let body = try await client.post("/v1/jobs/\(id)/cancel")
        try api.show(body, as: JobResponse.self, from: client, Self.summary)
    }

    /// What a cancel answer says (also `gridbroker admin jobs cancel`'s).
    static func summary(_ job: JobResponse) -> String {
        let going = job.nodes.filter { $0.state == "terminating" }.count
        return "\(job.id) \(job.state); \(going) node(s) terminating"
    }
}
