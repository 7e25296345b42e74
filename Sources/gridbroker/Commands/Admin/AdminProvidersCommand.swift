import ArgumentParser
import BrokerCore
import BrokerHTTP

/// `gridbroker admin providers list|enable|disable|poll`.
struct AdminProvidersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers", abstract: "The providers and the health of their pricing APIs.",
        subcommands: [List.self, Enable.self, Disable.self, Poll.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List providers with health.")
        @OptionGroup var api: APIOptions

        func run() async throws {
            let client = try api.client()
            let body = try await client.get("/v1/admin/providers")
            try api.show(body, as: ProviderListResponse.self, from: client) { list in
                AdminProvidersCommand.table(list.providers)
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Poll and place on it again.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The provider's id.") var id: String

        func run() async throws { try await AdminProvidersCommand.post("enable", id, api) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Stop polling it and placing on it.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The provider's id.") var id: String

        func run() async throws { try await AdminProvidersCommand.post("disable", id, api) }
    }

    struct Poll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "poll", abstract: "Poll its pricing API now.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The provider's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/providers/\(id)/poll")
            try api.show(body, as: PollReportResponse.self, from: client) { report in
                "\(report.provider): \(report.offers) offers in \(report.durationMs) ms"
                    + (report.error.map { "; error: \($0)" } ?? "")
            }
        }
    }

    private static func post(_ action: String, _ id: String, _ api: APIOptions) async throws {
        let client = try api.client()
        let body = try await client.post("/v1/admin/providers/\(id)/\(action)")
        try api.show(body, as: ProviderResponse.self, from: client) { table([$0]) }
    }

    static func table(_ providers: [ProviderResponse]) -> String {
        var table = TextTable([
            ("PROVIDER", .left), ("KIND", .left), ("STATUS", .left), ("OFFERS", .right), ("FAILURES", .right),
            ("LAST SUCCESS", .left), ("LAST ERROR", .left),
        ])
        for provider in providers {
            table.append([
                provider.id, provider.kind, provider.status, String(provider.offers),
                String(provider.consecutiveFailures), provider.lastSuccessAt.map(RFC3339.string(from:)) ?? "-",
                provider.lastError ?? "",
            ])
        }
        return table.rendered
    }
}
