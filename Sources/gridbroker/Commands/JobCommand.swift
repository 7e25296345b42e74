import ArgumentParser
import BrokerCore
import BrokerHTTP
import Foundation

/// `gridbroker job ID`: one job, its nodes and its timeline.
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Show one job: state, reason, spend, nodes and timeline.")

    @OptionGroup var api: APIOptions
    @Argument(help: "The job's id.") var id: String

    func run() async throws {
        let client = try api.client()
        let body = try await client.get("/v1/jobs/\(id)")
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let job = try client.decode(JobResponse.self, from: body)
        print("\(job.id)  \(job.name)  \(job.state)  spent \(usd(job.spendUsd))")
        if job.shards.total > 0 { print("shards: \(job.shards.done)/\(job.shards.total) done") }
        if let reason = job.reason { print("reason: \(reason)") }
        if !job.nodes.isEmpty {
            var nodes = TextTable([
                ("RANK", .right), ("NODE", .left), ("STATE", .left), ("OFFER", .left), ("INSTANCE", .left),
                ("$/H", .right), ("SPEND", .right),
            ])
            for node in job.nodes {
                nodes.append([
                    String(node.rank), node.id, node.state, node.offerId, node.instanceId ?? "-",
                    usd(node.pricePerHour),
                    usd(node.spendUsd),
                ])
            }
            print("\n" + nodes.rendered)
        }
        let events = try client.decode(EventListResponse.self, from: try await client.get("/v1/jobs/\(id)/events"))
        var timeline = TextTable([("AT", .left), ("KIND", .left), ("WHAT", .left)])
        for event in events.events { timeline.append([RFC3339.string(from: event.at), event.kind, event.message]) }
        print("\n" + timeline.rendered)
    }
}
