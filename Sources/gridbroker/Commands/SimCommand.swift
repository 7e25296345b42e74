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

            With --traces, spot capacity follows availability traces ({"metadata": {"gap_seconds"}, "data": [...]}):
            each spot zone (an EC2 availability zone, a RunPod GPU type, a Vast location) follows one trace file,
            one trace tick per --trace-tick-seconds; a zone without spot refuses spot launches and reclaims its spot
            instances, announced --trace-notice-seconds ahead. GET /_sim/spot shows the zones and their traces.

            With --run-agents, every running instance launched with GRIDBROKER_URL and GRIDBROKER_AGENT_TOKEN in its
            environment runs a simulated node agent: it heartbeats the broker and works through its shards at its GPUs'
            speed (--shard-seconds per shard on one A100-80GB), checkpointing as the real agent's command would.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 9400
    @Option(help: "About how many offers the market holds in total.") var offers = 10_000
    @Option(
        help:
            "The seed of the market: the same seed gives the same market (launched instances get fresh ids at each start, as a provider never reuses one)."
    )
    var seed: UInt64 = 1
    @Option(help: "Seconds a launched instance takes to boot.") var bootSeconds: Double = 20
    @Option(help: "Seconds a terminated instance takes to shut down.") var shutdownSeconds: Double = 5
    @Option(help: "The broker to send signed reclaim notices to (its base URL), for reclaims with notice.")
    var notifyURL: String?
    @Option(help: "The environment variable holding the webhook secret the notices are signed with.")
    var webhookSecretEnv = "GRIDBROKER_WEBHOOK_SECRET"
    @Option(
        help: ArgumentHelp(
            "A folder of spot availability traces (*.json) for spot capacity to follow.", valueName: "dir"))
    var traces: String?
    @Option(help: "Seconds one trace tick lasts (the traces' own ticks are minutes long).")
    var traceTickSeconds: Double = 10
    @Option(help: "Seconds of notice before a spot zone running dry takes its instances back.")
    var traceNoticeSeconds: Double = 30
    @Flag(help: "Run a simulated node agent on every running instance launched with a broker URL and agent token.")
    var runAgents = false
    @Option(
        help:
            "Seconds a simulated agent takes per shard on one A100-80GB (divided by its GPUs' relative speed × count).")
    var shardSeconds: Double = 60
    @Option(help: "Seconds between a simulated agent's heartbeats.") var agentInterval: Double = 5
    @Option(help: "A simulated agent checkpoints after every this many shards (and when the broker asks).")
    var checkpointEveryShards = 5
    @Flag(
        help: """
            Run every instance for real once it runs: its boot script or its container's command, as a process \
            tree in a folder of its own (a docker stand-in runs images' commands here); killed when it stops.
            """)
    var execNodes = false
    @Option(
        help: ArgumentHelp(
            "Where --exec-nodes puts each instance's folder (default: a new temporary folder).", valueName: "dir"))
    var nodesDir: String?

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
        guard (0.1...86_400).contains(traceTickSeconds) else {
            throw ValidationError("--trace-tick-seconds must be 0.1...86400")
        }
        guard (0...3_600).contains(traceNoticeSeconds) else {
            throw ValidationError("--trace-notice-seconds must be 0...3600")
        }
        guard (0.001...86_400).contains(shardSeconds) else {
            throw ValidationError("--shard-seconds must be 0.001...86400")
        }
        guard (0.1...3_600).contains(agentInterval) else {
            throw ValidationError("--agent-interval must be 0.1...3600")
        }
        guard checkpointEveryShards >= 1 else { throw ValidationError("--checkpoint-every-shards must be at least 1") }
        guard !(execNodes && runAgents) else {
            throw ValidationError(
                "--exec-nodes and --run-agents exclude each other: nodes run real agents or simulated ones")
        }
        if nodesDir != nil, !execNodes { throw ValidationError("--nodes-dir goes with --exec-nodes") }
    }

    /// Where `--exec-nodes` runs the nodes, prepared; nil without it.
    private func nodeExecution() throws -> NodeExecution? {
        guard execNodes else { return nil }
        let folder =
            nodesDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "gridbroker-sim-nodes-\(UUID().uuidString)")
        let execution = NodeExecution(
            folder: folder.standardizedFileURL,
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        do {
            try execution.prepare()
        } catch {
            throw CommandFailure("--nodes-dir \(folder.path): cannot be prepared (\(error))")
        }
        return execution
    }

    /// The traces `--traces` names, or nil without it.
    private func spotReplay() throws -> SpotTraceReplay? {
        guard let traces else { return nil }
        let folder = URL(fileURLWithPath: traces)
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }
        } catch {
            throw CommandFailure("--traces \(traces): cannot list the folder")
        }
        guard !files.isEmpty else { throw CommandFailure("--traces \(traces): no *.json trace in the folder") }
        let named = try files.map { file in
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw CommandFailure("\(file.lastPathComponent): cannot be read")
            }
            return NamedSpotTrace(
                name: file.lastPathComponent,
                trace: try CommandFailure.reporting { try SpotTrace(json: Array(data), source: file.lastPathComponent) }
            )
        }
        return SpotTraceReplay(traces: named, tickSeconds: traceTickSeconds, noticeSeconds: traceNoticeSeconds)
    }

    func run() async throws {
        let logger = Logger(label: "gridbroker-sim")
        let client = CurlHTTPClient()
        let replay = try spotReplay()
        let agents =
            runAgents
            ? AgentSimulation(
                transport: HeartbeatClient(client: client), shardSeconds: shardSeconds,
                heartbeatInterval: .milliseconds(Int64((agentInterval * 1_000).rounded())),
                checkpointEveryShards: checkpointEveryShards) : nil
        let execution = try nodeExecution()
        let simulator = MarketSimulator(
            configuration: MarketConfiguration(
                seed: seed, totalOffers: offers,
                instanceTimings: InstanceTimings(
                    bootSeconds: max(0, bootSeconds), shutdownSeconds: max(0, shutdownSeconds)),
                spotReplay: replay, instanceIDSeed: UInt64.random(in: .min ... .max)),
            notices: try noticeSender(client: client), agents: agents, execution: execution)
        let summary = simulator.summary
        let counts = SimulatedProvider.allCases.map { "\($0.rawValue) \(summary.offers[$0] ?? 0)" }
        logger.notice(
            "simulated market: \(summary.totalOffers) offers (\(counts.joined(separator: ", "))), seed \(seed)")
        if let replay {
            logger.notice(
                "spot capacity follows \(replay.traces.count) traces, one tick every \(traceTickSeconds) s (GET /_sim/spot)"
            )
        }
        if runAgents { logger.notice("simulated agents: \(shardSeconds) s per shard on one A100-80GB") }
        if let execution {
            logger.notice(
                "nodes run for real in \(execution.folder.path), their commands in \(execution.workingDirectory.path)")
        }
        let app = Application(
            router: simulator.buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "gridbroker-sim"),
            onServerRunning: { channel in
                logger.notice("serving on http://\(host):\(channel.localAddress?.port ?? port)")
            },
            logger: logger)
        let outcome: Result<Void, any Error>
        do {
            // The server ends on SIGTERM or SIGINT; the market's clock work ends with it.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint]) }
                group.addTask { await Self.advance(simulator, logger: logger) }
                defer { group.cancelAll() }
                _ = try await group.next()
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await simulator.stopNodes()
        await client.shutdown()
        try outcome.get()
    }

    /// Moves the simulated market along with the wall clock a few times a second until cancelled.
    private static func advance(_ simulator: MarketSimulator, logger: Logger) async {
        while !Task.isCancelled {
            for note in await simulator.advance() { logger.notice("\(note)") }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
