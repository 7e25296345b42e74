import CurlHTTP
import Foundation
import Testing

/// The daemon and `gridbroker sim --run-agents`, no agent process of the test's own: the
/// simulated node's agent heartbeats the daemon, works through the job's shards, and stops when
/// the job succeeds; nothing is left at the provider.
@Suite("A job run to the end by the simulated market's agents", .serialized)
struct SimulatedAgentsEndToEndTests {
    private let folder: URL
    private let client = CurlHTTPClient()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-sim-agents-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A 1-node, 1-GPU job of 24 shards that only Vast can take.
    private static let spec = """
        {"name": "sim-agents-e2e", "resources": {"gpu": ["RTX4090", "RTX3090", "A100-80GB", "H100"],
         "gpus_per_node": 1, "nodes": 1},
         "placement": {"exclude_providers": ["runpod", "lambda", "aws", "shadeform"]},
         "market": "on_demand", "dataset": {"uri": "s3://data/corpus", "shards": 24},
         "checkpoint": {"uri": "s3://ckpt/e2e"}, "image": "img", "command": ["torchrun", "train.py"]}
        """

    private func json(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> [String: Any]
    {
        try await SimulatedMarketDaemon.json(client, method, url, body: body, token: token)
    }

    /// The embedded SQLite database, and PostgreSQL (a schema of its own) when the run has a server.
    static let databases: [[String: String]] =
        [[:]]
        + (ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"].map { url in
            [["GRIDBROKER_DATABASE_URL": url + "&schema=e2e_" + UUID().uuidString.prefix(8).lowercased()]]
        } ?? [])

    @Test(arguments: databases)
    func theSimulatedAgentWorksThroughTheShardsAndTheJobSucceeds(database: [String: String]) async throws {
        let simProcess = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "3000", "--seed", "5", "--boot-seconds", "1", "--shutdown-seconds",
                "1", "--run-agents", "--shard-seconds", "0.2", "--agent-interval", "1", "--checkpoint-every-shards",
                "4",
            ],
            in: folder)
        let simPort = try await simProcess.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let sim = "http://127.0.0.1:\(simPort)"
        let apiPort = try SimulatedMarketDaemon.freePort()
        let configPath = try SimulatedMarketDaemon.config(in: folder, simPort: simPort, apiPort: apiPort)
        let admin = try await GridbrokerProcess.bootstrapToken(config: configPath, in: folder, environment: database)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", configPath], in: folder,
            environment: database.merging([
                "SIMULATED_MARKET_API_KEY": "test-key", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
                "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1",
            ]) { $1 })
        let api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"
        _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=vast .*polled")

        let job = try #require(try await json(.post, "\(api)/v1/jobs", body: Self.spec, token: admin)["id"] as? String)
        let finished: [String: Any]
        do {
            finished = try await SimulatedMarketDaemon.eventually("the job to succeed") {
                let answer = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)
                return answer["state"] as? String == "succeeded" ? answer : nil
            }
        } catch {
            let events = try? await json(.get, "\(api)/v1/jobs/\(job)/events", token: admin)
            let logs = "the simulator's log:\n\(simProcess.log)\nthe daemon's log:\n\(daemon.log)"
            Issue.record("the job's events: \(events ?? [:])\n\(logs)")
            throw error
        }
        let shards = finished["shards"] as? [String: Int]
        #expect(shards?["total"] == 24 && shards?["done"] == 24)
        let events =
            try await json(.get, "\(api)/v1/jobs/\(job)/events", token: admin)["events"] as? [[String: Any]] ?? []
        #expect(events.contains { $0["kind"] as? String == "job.checkpoint" })
        _ = try await SimulatedMarketDaemon.eventually("the node terminated and nothing left at the provider") {
            let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
            let nodes = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)["nodes"] as? [[String: Any]] ?? []
            return instances.isEmpty && nodes.allSatisfy { $0["state"] as? String == "terminated" } ? true : nil
        }
        #expect(simProcess.log.contains("exited after 24 shards"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        simProcess.signal(SIGTERM)
        #expect(try await simProcess.waitForExit() == 0)
        await client.shutdown()
    }
}
