import CurlHTTP
import Foundation
import Testing

/// The daemon, the simulated market and a real `gridbroker agent` running a small script: the
/// job's shards go to the node when it starts, the script works through them, and the job
/// succeeds and leaves nothing billing.
@Suite("A job run to the end by a real agent", .serialized)
struct AgentEndToEndTests {
    private let folder: URL
    private let client = CurlHTTPClient()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-agent-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A 1-node, 1-GPU job of 5 shards that only Vast can take.
    private static let spec = """
        {"name": "agent-e2e", "resources": {"gpu": ["RTX4090", "RTX3090", "A100-80GB", "H100"], "gpus_per_node": 1,
         "nodes": 1}, "placement": {"exclude_providers": ["runpod", "lambda", "aws", "shadeform"]},
         "market": "on_demand", "dataset": {"uri": "s3://data/corpus", "shards": 5}, "image": "img",
         "command": ["sh", "work.sh"]}
        """

    /// Waits for its shards, marks them all done in the progress file, and exits 0.
    private static let script = """
        while [ ! -s "$GRIDBROKER_SHARDS_FILE" ]; do sleep 0.1; done
        shards=$(tr '\\n' ',' < "$GRIDBROKER_SHARDS_FILE" | sed 's/,$//')
        printf '{"shards_done":[%s]}' "$shards" > "$GRIDBROKER_PROGRESS_FILE"
        exit 0
        """

    private func json(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> [String: Any]
    {
        try await SimulatedMarketDaemon.json(client, method, url, body: body, token: token)
    }

    private func eventually<T>(_ what: String, _ condition: () async throws -> T?) async throws -> T {
        try await SimulatedMarketDaemon.eventually(what, condition)
    }

    @Test func aRealAgentWorksThroughTheShardsAndTheJobSucceeds() async throws {
        let simProcess = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "3000", "--seed", "5", "--boot-seconds", "1", "--shutdown-seconds",
                "1",
            ],
            in: folder)
        let simPort = try await simProcess.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let sim = "http://127.0.0.1:\(simPort)"
        let configPath = try SimulatedMarketDaemon.config(in: folder, simPort: simPort)
        let admin = try await GridbrokerProcess.bootstrapToken(config: configPath, in: folder)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", configPath], in: folder,
            environment: [
                "SIMULATED_MARKET_API_KEY": "test-key", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
                "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1",
            ])
        let api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"
        _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=vast .*polled")

        let job = try #require(try await json(.post, "\(api)/v1/jobs", body: Self.spec, token: admin)["id"] as? String)
        // The launch the broker recorded for the job's node carried its agent token; the simulated
        // provider shows what that instance was asked to run (an instance of an abandoned launch
        // would carry another node's token).
        let token: String = try await eventually("the node's launch") {
            let nodes = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)["nodes"] as? [[String: Any]] ?? []
            guard let instance = nodes.last?["instance_id"] as? String else { return nil }
            let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
            return instances.first { $0["native_id"] as? String == instance }
                .flatMap { ($0["environment"] as? [String: String])?["GRIDBROKER_AGENT_TOKEN"] }
        }
        try Self.script.write(to: folder.appendingPathComponent("work.sh"), atomically: true, encoding: .utf8)
        let agent = try GridbrokerProcess(
            ["agent", "--broker", api, "--token", token, "--interval", "1", "--", "sh", "work.sh"], in: folder)
        let agentExit = try await agent.waitForExit(timeout: .seconds(120))
        #expect(agentExit == 0, "the agent's log:\n\(agent.log)")

        let finished: [String: Any]
        do {
            finished = try await eventually("the job to succeed") {
                let answer = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)
                return answer["state"] as? String == "succeeded" ? answer : nil
            }
        } catch {
            let events = try? await json(.get, "\(api)/v1/jobs/\(job)/events", token: admin)
            Issue.record(
                "the job's events: \(events ?? [:])\nthe agent's log:\n\(agent.log)\nthe daemon's log:\n\(daemon.log)")
            throw error
        }
        let shards = finished["shards"] as? [String: Int]
        #expect(shards?["total"] == 5 && shards?["done"] == 5)
        _ = try await eventually("the node terminated and nothing left at the provider") {
            let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
            let nodes = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)["nodes"] as? [[String: Any]] ?? []
            return instances.isEmpty && nodes.allSatisfy { $0["state"] as? String == "terminated" } ? true : nil
        }
        #expect(!agent.log.contains(token))
        // The counters of the services and of each route and status, and never a secret.
        _ = try? await json(.post, "\(api)/v1/agent/heartbeat", body: #"{"status":"running"}"#)
        let metrics = try await client.execute(HTTPRequest(method: .get, url: "\(api)/metrics")).bodyString
        for pattern in [
            "gridbroker_jobs_placed_total [1-9]", "gridbroker_jobs_started_total [1-9]",
            #"gridbroker_auth_failures_total\{credential="agent_token"\} 1"#,
            #"http_server_request_duration_count\{http_route="/v1/jobs",http_request_method="POST",http_response_status_code="201"\} 1"#,
            #"http_server_request_duration_count\{http_route="/v1/agent/heartbeat",http_request_method="POST",http_response_status_code="401"\} 1"#,
        ] {
            #expect(metrics.contains(try Regex(pattern)), "\(pattern)")
        }
        #expect(!metrics.contains(token) && !daemon.log.contains(token))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        simProcess.signal(SIGTERM)
        await client.shutdown()
    }
}
