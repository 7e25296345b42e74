import CurlHTTP
import Foundation
import Testing

/// Two `gridbroker serve` on one PostgreSQL database with the simulated market: each provider is
/// polled by one of them while the other's book follows from the database, a job submitted to
/// either runs to its end, and both stop cleanly.
@Suite(
    "Two brokers on one PostgreSQL database", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"] != nil))
struct ReplicasEndToEndTests {
    private let folder: URL
    private let client = CurlHTTPClient()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-replicas-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A 1-node, 1-GPU job of 8 shards that only Vast can take.
    private static let spec = """
        {"name": "replicas-e2e", "resources": {"gpu": ["RTX4090", "RTX3090", "A100-80GB", "H100"],
         "gpus_per_node": 1, "nodes": 1},
         "placement": {"exclude_providers": ["runpod", "lambda", "aws", "shadeform"]},
         "market": "on_demand", "dataset": {"uri": "s3://data/corpus", "shards": 8},
         "checkpoint": {"uri": "s3://ckpt/replicas"}, "image": "img", "command": ["torchrun", "train.py"]}
        """

    private func json(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> [String: Any]
    {
        try await SimulatedMarketDaemon.json(client, method, url, body: body, token: token)
    }

    @Test func theBrokersShareThePollsAndEitherTakesAJobThatRunsToItsEnd() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"])
        let database = ["GRIDBROKER_DATABASE_URL": url + "&schema=replicas_" + UUID().uuidString.prefix(8).lowercased()]
        let simProcess = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "3000", "--seed", "7", "--boot-seconds", "1", "--shutdown-seconds",
                "1", "--run-agents", "--shard-seconds", "0.2", "--agent-interval", "1", "--checkpoint-every-shards",
                "4",
            ],
            in: folder)
        let simPort = try await simProcess.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let sim = "http://127.0.0.1:\(simPort)"
        let configPath = try SimulatedMarketDaemon.config(in: folder, simPort: simPort)
        let admin = try await GridbrokerProcess.bootstrapToken(config: configPath, in: folder, environment: database)
        var brokers: [(process: GridbrokerProcess, api: String)] = []
        for _ in 0..<2 {
            let port = try SimulatedMarketDaemon.freePort()
            let process = try GridbrokerProcess(
                ["serve", "--config", configPath], in: folder,
                environment: database.merging([
                    "SIMULATED_MARKET_API_KEY": "test-key", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
                    "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1", "GRIDBROKER_SERVER_PORT": "\(port)",
                ]) { $1 })
            _ = try await process.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
            brokers.append((process, "http://127.0.0.1:\(port)"))
        }
        // Each provider's polls are one broker's; Vast's offers reach the other's book too.
        let apis = brokers.map(\.api)
        _ = try await SimulatedMarketDaemon.eventually("Vast polled by one broker, its offers in both books") {
            () async throws -> Bool? in
            for api in apis {
                let offers = try await json(.get, "\(api)/v1/offers?provider=vast&limit=1", token: admin)
                guard (offers["offers"] as? [Any])?.isEmpty == false else { return nil }
            }
            return true
        }
        // Exactly one broker took each provider's lease (none would mean no leases at all).
        for provider in ["vast", "lambda", "runpod", "aws", "shadeform"] {
            let takers = brokers.filter { broker in
                broker.process.log.split(separator: "\n").contains {
                    $0.contains("lease=poll:\(provider) ") && $0.contains("lease taken")
                }
            }
            #expect(takers.count == 1, "\(provider): taken by \(takers.count) brokers")
        }

        let job = try #require(
            try await json(.post, "\(brokers[1].api)/v1/jobs", body: Self.spec, token: admin)["id"] as? String)
        do {
            _ = try await SimulatedMarketDaemon.eventually("the job to succeed") {
                let answer = try await json(.get, "\(brokers[0].api)/v1/jobs/\(job)", token: admin)
                return answer["state"] as? String == "succeeded" ? true : nil
            }
        } catch {
            let logs = brokers.map(\.process.log).joined(separator: "\n---\n")
            Issue.record("the brokers' logs:\n\(logs)\nthe simulator's log:\n\(simProcess.log)")
            throw error
        }
        _ = try await SimulatedMarketDaemon.eventually("nothing left at the provider") {
            let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
            return instances.isEmpty ? true : nil
        }
        // One broker scheduled the job from queued to its end: it alone took the job's lease.
        let schedulers = brokers.filter { broker in
            broker.process.log.split(separator: "\n").contains {
                $0.contains("lease=job:\(job) ") && $0.contains("lease taken")
            }
        }
        #expect(schedulers.count == 1)
        for broker in brokers {
            broker.process.signal(SIGTERM)
            #expect(try await broker.process.waitForExit() == 0)
        }
        simProcess.signal(SIGTERM)
        #expect(try await simProcess.waitForExit() == 0)
        await client.shutdown()
    }
}
