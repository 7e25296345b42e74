import ArgumentParser
import BrokerHTTP

/// `gridbroker admin nodes list|terminate`.
struct AdminNodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes", abstract: "Every job's nodes.", subcommands: [List.self, Terminate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List nodes, newest first.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only nodes in these states (comma-separated: running, terminating, …).") var state: String?
        @Option(help: "Only this provider's nodes.") var provider: String?
        @Option(help: "How many nodes.") var limit: Int = 50

        func run() async throws {
            let client = try api.client()
            let body = try await client.get(
                "/v1/admin/nodes", query: [("state", state), ("provider", provider), ("limit", String(limit))])
            try api.show(body, as: NodeListResponse.self, from: client) { AdminNodesCommand.table($0.nodes) }
        }
    }

    struct Terminate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "terminate",
            abstract: "Terminate a node's instance; a running job migrates to a replacement.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The node's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/nodes/\(id)/terminate")
            try api.show(body, as: NodeResponse.self, from: client) { AdminNodesCommand.table([$0]) }
        }
    }

    static func table(_ nodes: [NodeResponse]) -> String {
        var table = TextTable([
            ("NODE", .left), ("JOB", .left), ("RANK", .right), ("STATE", .left), ("PROVIDER", .left),
            ("INSTANCE", .left), ("$/H", .right), ("SPEND", .right),
        ])
        for entry in nodes {
            let node = entry.node
            table.append([
                node.id, entry.jobId, String(node.rank), node.state, node.provider, node.instanceId ?? "-",
                usd(node.pricePerHour), usd(node.spendUsd),
            ])
        }
        return table.rendered
    }
}
