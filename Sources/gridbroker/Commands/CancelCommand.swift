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
        let client = APIClient(baseURL: api.baseURL)
        let body = try await client.post("/v1/jobs/\(id)/cancel")
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let job = try client.decode(JobResponse.self, from: body)
        let going = job.nodes.filter { $0.state == "terminating" }.count
        print("\(job.id) \(job.state); \(going) node(s) terminating")
    }
}
