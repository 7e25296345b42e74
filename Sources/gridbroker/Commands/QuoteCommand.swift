import ArgumentParser
import BrokerHTTP
import Foundation

/// `gridbroker quote job.yaml`: what running a job would cost, on today's market.
struct QuoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote", abstract: "Rank placements for a job spec (JSON or YAML) on the live market.")

    @OptionGroup var api: APIOptions
    @Argument(help: "The job spec file (.json, .yaml or .yml).") var spec: String

    func run() async throws {
        let client = try api.client()
        let body = try await client.post("/v1/quotes", json: try JobSpecFile.jsonBody(at: spec))
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let quote = try client.decode(QuoteResponse.self, from: body)
        guard !quote.placements.isEmpty else {
            print(quote.reason ?? "no placement fits")
            return
        }
        var table = TextTable([
            ("#", .right), ("MARKET", .left), ("GPU", .left), ("$/H", .right), ("HOURS", .right), ("COST", .right),
            ("NODES", .left),
        ])
        for (index, placement) in quote.placements.enumerated() {
            table.append([
                String(index + 1), placement.market, placement.gpu, usd(placement.pricePerHour),
                placement.estimatedHours.map { String(format: "%.1f", $0) } ?? "-",
                placement.estimatedCost.map(usd) ?? "-", placement.nodes.map(\.offer.id).joined(separator: ", "),
            ])
        }
        print(table.rendered)
    }
}
