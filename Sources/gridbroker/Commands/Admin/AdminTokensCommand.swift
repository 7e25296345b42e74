import ArgumentParser
import BrokerCore
import BrokerHTTP
import Foundation

/// `gridbroker admin tokens list|issue|revoke`.
struct AdminTokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "API tokens (the secret is shown once, when issued).",
        subcommands: [List.self, Issue.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never secrets).")
        @OptionGroup var api: APIOptions
        @Option(help: "Only this team's tokens.") var team: String?

        func run() async throws {
            let client = try api.client()
            let body = try await client.get("/v1/admin/tokens", query: [("team", team)])
            try api.show(body, as: TokenListResponse.self, from: client) { AdminTokensCommand.table($0.tokens) }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a member token for a team (or --admin); prints the token alone on standard output.")
        @OptionGroup var api: APIOptions
        @Argument(help: "What to call it (\"ci\", \"alice\").") var name: String
        @Option(help: "The team it acts for (a member token).") var team: String?
        @Flag(help: "An admin token (every team, and the admin API).") var admin = false

        func validate() throws {
            guard admin != (team != nil) else { throw ValidationError("give exactly one of --team and --admin") }
        }

        func run() async throws {
            let client = try api.client()
            let body = try await client.post(
                "/v1/admin/tokens",
                json: APIClient.body(["name": name, "role": admin ? "admin" : "member", "team": team]))
            if api.json {
                print(String(decoding: body, as: UTF8.self))
                return
            }
            let issued = try client.decode(IssuedTokenResponse.self, from: body)
            FileHandle.standardError.write(
                Data("issued \(issued.info.role) token \(issued.info.id) '\(name)'; it is shown only now:\n".utf8))
            print(issued.token)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token now.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The token's id (tok_…), not its secret.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/tokens/\(id)/revoke")
            try api.show(body, as: TokenResponse.self, from: client) { AdminTokensCommand.table([$0]) }
        }
    }

    static func table(_ tokens: [TokenResponse]) -> String {
        var table = TextTable([
            ("ID", .left), ("NAME", .left), ("TEAM", .left), ("ROLE", .left), ("CREATED", .left), ("LAST USED", .left),
            ("REVOKED", .left),
        ])
        for token in tokens {
            table.append([
                token.id, token.name, token.team ?? "-", token.role, RFC3339.string(from: token.createdAt),
                token.lastUsedAt.map(RFC3339.string(from:)) ?? "-", token.revokedAt.map(RFC3339.string(from:)) ?? "-",
            ])
        }
        return table.rendered
    }
}
