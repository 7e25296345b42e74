import ArgumentParser
import BrokerCore
import BrokerHTTP
import Foundation

/// `gridbroker admin pools list|create|enable|disable|delete|tokens|issue-token|revoke-token`.
struct AdminPoolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pools", abstract: "Owner pools (machines owners lend) and their join tokens.",
        subcommands: [
            List.self, Create.self, Enable.self, Disable.self, Delete.self, Usage.self, Tokens.self, IssueToken.self,
            RevokeToken.self,
        ])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List pools.")
        @OptionGroup var api: APIOptions

        func run() async throws {
            let client = try api.client()
            let body = try await client.get("/v1/admin/pools")
            try api.show(body, as: PoolListResponse.self, from: client) { AdminPoolsCommand.table($0.pools) }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a pool.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Its id, also the provider id of its offers (<id>:<machine>).") var id: String
        @Option(help: "Its name (unique).") var name: String
        @Option(help: "Where its machines are: an ISO 3166 alpha-2 code such as DE.") var country: String
        @Option(help: "A region label, e.g. berlin-1.") var region: String
        @Option(help: "spot (the owner may take machines back, with notice) or on_demand.") var market: String
        @Option(help: "USD per GPU-hour for models --gpu-price does not name.") var price: String
        @Option(
            help: ArgumentHelp(
                "USD per GPU-hour of one model, e.g. A100-80GB=1.20 (repeatable).", valueName: "model=usd"))
        var gpuPrice: [String] = []
        @Option(help: "The least notice before the owner takes a machine back, in seconds.") var minNotice: Int?

        func run() async throws {
            let client = try api.client()
            var prices: [String: Double] = [:]
            for entry in gpuPrice {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw CommandFailure("--gpu-price: expected MODEL=USD, got '\(entry)'") }
                prices[parts[0]] = try AdminPoolsCommand.dollars(parts[1], option: "--gpu-price")
            }
            let body = try await client.post(
                "/v1/admin/pools",
                json: APIClient.body([
                    "id": id, "name": name, "country": country, "region": region, "market": market,
                    "price_per_gpu_hour": try AdminPoolsCommand.dollars(price, option: "--price"),
                    "gpu_prices": prices, "min_notice_s": minNotice,
                ]))
            try api.show(body, as: PoolResponse.self, from: client) { AdminPoolsCommand.table([$0]) }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Offer a pool's machines.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The pool's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/pools/\(id)/enable")
            try api.show(body, as: PoolResponse.self, from: client) { AdminPoolsCommand.table([$0]) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Stop offering a pool's machines.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The pool's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/pools/\(id)/disable")
            try api.show(body, as: PoolResponse.self, from: client) { AdminPoolsCommand.table([$0]) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete a pool; its join tokens are revoked.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The pool's id.") var id: String

        func run() async throws {
            _ = try await api.client().delete("/v1/admin/pools/\(id)")
            print("deleted pool \(id)")
        }
    }

    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "usage", abstract: "What a pool's machines sold: nodes, GPU-hours, USD earned.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The pool's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.get("/v1/admin/pools/\(id)/usage")
            try api.show(body, as: PoolUsageResponse.self, from: client) { usage in
                var table = TextTable([("MACHINE", .left), ("NODES", .right), ("GPU-H", .right), ("EARNED", .right)])
                for line in usage.machines {
                    table.append([
                        line.machine ?? "", "\(line.nodes)", String(format: "%.2f", line.gpuHours), usd(line.earnedUsd),
                    ])
                }
                table.append(["all", "\(usage.nodes)", String(format: "%.2f", usage.gpuHours), usd(usage.earnedUsd)])
                return "pool \(usage.pool)\n" + table.rendered
            }
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokens", abstract: "A pool's join tokens (never their secrets).")
        @OptionGroup var api: APIOptions
        @Argument(help: "The pool's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.get("/v1/admin/pools/\(id)/join-tokens")
            try api.show(body, as: JoinTokenListResponse.self, from: client) { list in
                var table = TextTable([("ID", .left), ("NAME", .left), ("CREATED", .left), ("REVOKED", .left)])
                for token in list.tokens {
                    table.append([
                        token.id, token.name, RFC3339.string(from: token.createdAt),
                        token.revokedAt.map(RFC3339.string(from:)) ?? "-",
                    ])
                }
                return table.rendered
            }
        }
    }

    struct IssueToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-token",
            abstract: "Issue a join token machines register with; prints the token alone on standard output.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The pool's id.") var id: String
        @Argument(help: "What to call it (\"basement rack\").") var name: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post(
                "/v1/admin/pools/\(id)/join-tokens", json: APIClient.body(["name": name]))
            if api.json {
                print(String(decoding: body, as: UTF8.self))
                return
            }
            let issued = try client.decode(IssuedJoinTokenResponse.self, from: body)
            FileHandle.standardError.write(
                Data("issued join token \(issued.info.id) '\(name)' for pool \(id); it is shown only now:\n".utf8))
            print(issued.token)
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-token", abstract: "Revoke a join token.")
        @OptionGroup var api: APIOptions
        @Argument(help: "The join token's id.") var id: String

        func run() async throws {
            let client = try api.client()
            let body = try await client.post("/v1/admin/join-tokens/\(id)/revoke")
            try api.show(body, as: JoinTokenResponse.self, from: client) { token in
                "revoked join token \(token.id) '\(token.name)' of pool \(token.pool)"
            }
        }
    }

    static func dollars(_ text: String, option: String) throws -> Double {
        guard let money = try? Money(parsing: text), money >= .zero else {
            throw CommandFailure("\(option): expected an amount in USD such as 1.20, got '\(text)'")
        }
        return money.dollars
    }

    static func table(_ pools: [PoolResponse]) -> String {
        var table = TextTable([
            ("ID", .left), ("NAME", .left), ("WHERE", .left), ("MARKET", .left), ("NOTICE", .right),
            ("$/GPU-H", .right), ("ENABLED", .left),
        ])
        for pool in pools {
            let prices =
                ([usd(pool.pricePerGpuHour)]
                + pool.gpuPrices.sorted { $0.key < $1.key }.map {
                    "\($0.key) \(usd($0.value))"
                }).joined(separator: ", ")
            table.append([
                pool.id, pool.name, "\(pool.country) \(pool.region)", pool.market, "\(pool.minNoticeS) s", prices,
                pool.enabled ? "yes" : "no",
            ])
        }
        return table.rendered
    }
}
