import ArgumentParser
import BrokerHTTP
import Foundation

/// `gridbroker usage`: what the team spent, by job and by provider.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Show the team's spend by job and by provider.")

    @OptionGroup var api: APIOptions
    @Option(help: "With an admin token: the team to act for (default: the default team).") var team: String?

    func run() async throws {
        let client = try api.client()
        let body = try await client.get("/v1/usage", query: [("team", team)])
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let usage = try client.decode(UsageResponse.self, from: body)
        print("team \(usage.team): spent \(usd(usage.spendUsd))" + (usage.budgetUsd.map { " of \(usd($0))" } ?? ""))
        var jobs = TextTable([
            ("JOB", .left), ("NAME", .left), ("STATE", .left), ("SPEND", .right), ("$/H NOW", .right),
        ])
        for job in usage.jobs {
            jobs.append([job.id, job.name, job.state, usd(job.spendUsd), usd(job.burnPerHour)])
        }
        print("\n" + jobs.rendered)
        var providers = TextTable([("PROVIDER", .left), ("NODES", .right), ("SPEND", .right)])
        for provider in usage.providers {
            providers.append([provider.provider, String(provider.nodes), usd(provider.spendUsd)])
        }
        print("\n" + providers.rendered)
    }
}
