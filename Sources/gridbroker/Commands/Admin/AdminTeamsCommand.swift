import ArgumentParser
import BrokerCore
import BrokerHTTP

/// `gridbroker admin teams list|create|budget`.
struct AdminTeamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams", abstract: "Teams and their budgets.", subcommands: [List.self, Create.self, Budget.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List teams.")
        @OptionGroup var api: APIOptions

        func run() async throws {
            let client = try api.client()
            let body = try await client.get("/v1/admin/teams")
            try api.show(body, as: TeamListResponse.self, from: client) { AdminTeamsCommand.table($0.teams) }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a team.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The team's name (unique).") var name: String
        @Option(help: "Its budget in USD (default: none).") var budget: String?

        func run() async throws {
            let client = try api.client()
            let dollars = try budget.map(AdminTeamsCommand.dollars)
            let body = try await client.post(
                "/v1/admin/teams", json: APIClient.body(["name": name, "budget_usd": dollars]))
            try api.show(body, as: TeamResponse.self, from: client) { AdminTeamsCommand.table([$0]) }
        }
    }

    struct Budget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "budget", abstract: "Set a team's budget in USD ('none' removes it).")
        @OptionGroup var api: APIOptions
        @Argument(help: "The team's id.") var id: String
        @Argument(help: "The budget in USD, or 'none'.") var budget: String

        func run() async throws {
            let client = try api.client()
            let dollars: Double? = try budget == "none" ? nil : AdminTeamsCommand.dollars(budget)
            let body = try await client.put(
                "/v1/admin/teams/\(id)/budget", json: APIClient.body(["budget_usd": dollars]))
            try api.show(body, as: TeamResponse.self, from: client) { AdminTeamsCommand.table([$0]) }
        }
    }

    /// A budget argument as the API's JSON number.
    static func dollars(_ text: String) throws -> Double {
        guard let money = try? Money(parsing: text), money >= .zero else {
            throw CommandFailure("budget: expected an amount in USD such as 500 or 12.50, got '\(text)'")
        }
        return money.dollars
    }

    static func table(_ teams: [TeamResponse]) -> String {
        var table = TextTable([
            ("ID", .left), ("NAME", .left), ("BUDGET", .right), ("SPEND", .right), ("CREATED", .left),
        ])
        for team in teams {
            table.append([
                team.id, team.name, team.budgetUsd.map(usd) ?? "-", usd(team.spendUsd),
                RFC3339.string(from: team.createdAt),
            ])
        }
        return table.rendered
    }
}
