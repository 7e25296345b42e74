import CurlHTTP
import Foundation
import Testing

/// The daemon polling the simulated market, both as real processes, seen through the CLI and API.
@Suite("The daemon against the simulated market", .serialized)
struct MarketDataEndToEndTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-market-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The CLI with `token` in `GRIDBROKER_TOKEN`.
    private func run(_ arguments: [String], token: String) async throws -> (status: Int32, output: String) {
        try await GridbrokerProcess.run(arguments, in: folder, environment: ["GRIDBROKER_TOKEN": token])
    }

    @Test func liveOffersFromEveryProviderAndAFailingProviderHurtsNoOther() async throws {
        let environment = ["SIMULATED_MARKET_API_KEY": "test-key"]
        let sim = try GridbrokerProcess(["sim", "--port", "0", "--offers", "3000", "--seed", "7"], in: folder)
        let simPort = try await sim.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let config = try SimulatedMarketDaemon.config(in: folder, simPort: simPort)
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let daemon = try GridbrokerProcess(["serve", "--config", config], in: folder, environment: environment)
        let apiPort = try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
        let api = "http://127.0.0.1:\(apiPort)"
        for provider in ["vast", "runpod", "lambda", "aws", "shadeform"] {
            _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=\(provider) .*polled")
        }
        // The config's owner pool exists from the start; it offers nothing until a machine joins.
        let pools = try await run(["admin", "pools", "list", "--url", api], token: admin)
        #expect(pools.status == 0 && pools.output.contains("campus") && pools.output.contains("Campus A100s"))

        let offers = try await run(
            ["offers", "--url", api, "--gpu", "H100", "--min-gpus", "8", "--limit", "5"], token: admin)
        #expect(offers.status == 0)
        let rows = offers.output.split(separator: "\n")
        #expect(rows.first?.hasPrefix("OFFER") == true)
        #expect(rows.count == 6)
        #expect(rows.dropFirst().allSatisfy { $0.contains("H100-") })

        let gpus = try await run(["gpus", "--url", api, "--json"], token: admin)
        #expect(gpus.status == 0 && gpus.output.contains(#""gpu":"A100-80GB""#))

        // The example job spec, YAML, quoted on the live market.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = root.appendingPathComponent("examples/llama-8b-lora.yaml").path
        let quote = try await run(["quote", "--url", api, "--json", example], token: admin)
        #expect(quote.status == 0)
        let answer = try JSONDecoder().decode(QuoteAnswer.self, from: Data(quote.output.utf8))
        #expect(answer.placements.isEmpty == (answer.reason != nil))
        for placement in answer.placements {
            #expect(placement.nodes.count == 2 && placement.pricePerHour <= 40)
            #expect(
                placement.nodes.allSatisfy {
                    ["DE", "FR", "NL", "GB", "SE", "FI", "IS", "NO"].contains($0.offer.country ?? "")
                })
        }

        let invalid = try await run(["offers", "--url", api, "--gpu", "Z9000"], token: admin)
        #expect(invalid.status != 0)
        #expect(invalid.output.contains("gpu: unknown GPU model or family 'Z9000'"))

        // Vast starts failing: its poll reports the error, everyone else stays healthy.
        let client = CurlHTTPClient()
        let fault = try await client.execute(
            HTTPRequest(
                method: .put, url: "http://127.0.0.1:\(simPort)/_sim/faults/vast",
                headers: ["Content-Type": "application/json"], body: Array(#"{"error_rate": 1.0}"#.utf8)))
        #expect(fault.status == 200)
        let poll = try await client.execute(
            HTTPRequest(
                method: .post, url: "\(api)/v1/admin/providers/vast/poll",
                headers: ["Authorization": "Bearer \(admin)"],
                retry: .none))
        #expect(poll.status == 200)
        // The simulated Vast answers 5xx with Vast's own error body, which the poll reports.
        #expect(poll.bodyString.contains(#""error":"server_error: "#))
        let health = try await client.execute(
            HTTPRequest(url: "\(api)/v1/admin/providers", headers: ["Authorization": "Bearer \(admin)"]))
        let statuses = try JSONDecoder().decode(ProviderStatuses.self, from: Data(health.body))
        #expect(statuses.providers.first { $0.id == "vast" }?.status == "degraded")
        #expect(statuses.providers.filter { $0.id != "vast" }.allSatisfy { $0.status == "healthy" })
        // Its offers stay listed until they expire.
        #expect(statuses.providers.first { $0.id == "vast" }?.offers ?? 0 > 0)

        // Poll duration, offers and failures per provider reach Prometheus.
        let metrics = try await client.execute(HTTPRequest(url: "\(api)/metrics")).bodyString
        #expect(metrics.contains(#"gridbroker_poll_failures_total{provider="vast"} 1"#))
        #expect(metrics.contains(#"gridbroker_poll_duration_seconds_count{provider="lambda"}"#))
        #expect(
            metrics.range(of: #"gridbroker_provider_offers\{provider="aws"\} [1-9]"#, options: .regularExpression)
                != nil)
        await client.shutdown()

        daemon.signal(SIGTERM)
        sim.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(try await sim.waitForExit() == 0)
    }

    /// SIGTERM while a request is in flight: the daemon stops accepting new ones, answers it, then
    /// stops its pollers and closes the database.
    @Test func requestInFlightAtSIGTERMIsAnswered() async throws {
        let sim = try GridbrokerProcess(["sim", "--port", "0", "--offers", "500", "--seed", "3"], in: folder)
        let simPort = try await sim.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let config = try SimulatedMarketDaemon.config(in: folder, simPort: simPort)
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", config], in: folder,
            environment: ["SIMULATED_MARKET_API_KEY": "test-key", "GRIDBROKER_LOG_LEVEL": "debug"])
        let api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"
        _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=vast .*polled")

        let client = CurlHTTPClient()
        let slow = try await client.execute(
            HTTPRequest(
                method: .put, url: "http://127.0.0.1:\(simPort)/_sim/faults/vast",
                headers: ["Content-Type": "application/json"], body: Array(#"{"latency_ms": 1500}"#.utf8)))
        #expect(slow.status == 200)
        let polls = daemon.log.components(separatedBy: "provider=vast [Broker] polling").count
        async let inFlight = client.execute(
            HTTPRequest(
                method: .post, url: "\(api)/v1/admin/providers/vast/poll",
                headers: ["Authorization": "Bearer \(admin)"],
                retry: .none))
        // The poll has reached the slow simulated Vast: the request is in flight.
        _ = try await daemon.waitForLog("(?s)(provider=vast \\[Broker\\] polling.*){\(polls)}")
        daemon.signal(SIGTERM)
        let answer = try await inFlight
        #expect(answer.status == 200)
        #expect(!answer.bodyString.contains(#""error""#))
        #expect(answer.bodyString.contains(#""offers":"#) && !answer.bodyString.contains(#""offers":0,"#))
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.log.contains("database closed"))
        await client.shutdown()
        sim.signal(SIGTERM)
        #expect(try await sim.waitForExit() == 0)
    }

    /// The parts of a quote answer these tests check.
    private struct QuoteAnswer: Decodable {
        struct Placement: Decodable {
            struct Node: Decodable {
                struct Offer: Decodable { var country: String? }
                var offer: Offer
            }
            var nodes: [Node]
            var pricePerHour: Double

            enum CodingKeys: String, CodingKey {
                case nodes
                case pricePerHour = "price_per_hour"
            }
        }
        var placements: [Placement]
        var reason: String?
    }

    private struct ProviderStatuses: Decodable {
        struct Provider: Decodable {
            var id: String
            var status: String
            var offers: Int
        }
        var providers: [Provider]
    }
}
