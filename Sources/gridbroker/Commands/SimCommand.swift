import ArgumentParser
import Broker
import BrokerCore
import CurlHTTP
import Foundation
import Hummingbird
import Logging
import MarketSim

/// `gridbroker sim`: the simulated GPU market on loopback, speaking each provider's real API.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Serve a simulated GPU market (Vast.ai, RunPod, Lambda, AWS, Shadeform APIs) on loopback.",
        discussion: """
            Each provider is served under http://HOST:PORT/<kind>/ followed by the real API's own path,
            so a provider entry points at it with base_url: http://127.0.0.1:9400/<kind>
            (AWS: http://127.0.0.1:9400/aws/{region}). Faults are set at run time with
            PUT /_sim/faults/<kind> {"latency_ms", "error_rate", "rate_limit": {"retry_after_s"}, "malformed", "truncated"}.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 9400
    @Option(help: "About how many offers the market holds in total.") var offers = 10_000
    @Option(help: "The seed of the market: the same seed gives the same market.") var seed: UInt64 = 1
    @Option(help: "Seconds a launched instance takes to boot.") var bootSeconds: Double = 20
    @Option(help: "Seconds a terminated instance takes to shut down.") var shutdownSeconds: Double = 5
    @Option(help: "The broker to send signed reclaim notices to (its base URL), for reclaims with notice.")
    var notifyURL: String?
    @Option(help: "The environment variable holding the webhook secret the notices are signed with.")
    var webhookSecretEnv = "GRIDBROKER_WEBHOOK_SECRET"

    /// The signed notice sender `--notify-url` asks for, or nil.
    private func noticeSender(client: CurlHTTPClient) throws -> SignedNoticeSender? {
        guard let notifyURL else { return nil }
        let secret = ProcessInfo.processInfo.environment[webhookSecretEnv] ?? ""
        guard let key = WebhookVerifier.key(fromSecret: secret) else {
            throw CommandFailure("--notify-url needs a webhook secret (whsec_…) in $\(webhookSecretEnv)")
        }
        let base = notifyURL.hasSuffix("/") ? String(notifyURL.dropLast()) : notifyURL
        return SignedNoticeSender(brokerURL: base, key: key, client: client)
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535 (0: any free port)") }
        guard (1...1_000_000).contains(offers) else { throw ValidationError("--offers must be 1...1000000") }
    }

    func run() async throws {
        let logger = Logger(label: "gridbroker-sim")
        let client = CurlHTTPClient()
        let simulator = MarketSimulator(
            configuration: MarketConfiguration(
                seed: seed, totalOffers: offers,
                instanceTimings: InstanceTimings(
                    bootSeconds: max(0, bootSeconds), shutdownSeconds: max(0, shutdownSeconds))),
            notices: try noticeSender(client: client))
        let summary = simulator.summary
        let counts = SimulatedProvider.allCases.map { "\($0.rawValue) \(summary.offers[$0] ?? 0)" }
        logger.notice(
            "simulated market: \(summary.totalOffers) offers (\(counts.joined(separator: ", "))), seed \(seed)")
        let app = Application(
            router: simulator.buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "gridbroker-sim"),
            onServerRunning: { channel in
                logger.notice("serving on http://\(host):\(channel.localAddress?.port ?? port)")
            },
            logger: logger)
        let outcome: Result<Void, any Error>
        do {
            outcome = .success(try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint]))
        } catch {
            outcome = .failure(error)
        }
        await client.shutdown()
        try outcome.get()
    }
}
