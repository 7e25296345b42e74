import CurlHTTP
import Foundation
import MarketSim
import Testing

/// Three brokers on one PostgreSQL database placing jobs on the simulated market, a random one of
/// them killed with SIGKILL and started again, twenty times, while launches are in flight: once
/// things settle, every job runs on exactly one node, the provider holds exactly the instances
/// the brokers believe in, and a cancel leaves nothing billing.
@Suite(
    "Three brokers on one PostgreSQL survive kill -9", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"] != nil))
struct ReplicaCrashTests {
    private let folder: URL
    private let client = CurlHTTPClient()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-replica-crash-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A 1-node job that only Lambda can take (the seed's Lambda has room for five such jobs).
    private static func spec(_ index: Int) -> String {
        """
        {"name": "replica-crash-\(index)", "resources": {"gpu": ["A10", "A100-40GB", "A100-80GB", "H100"],
         "gpus_per_node": 1, "nodes": 1}, "placement": {"exclude_providers": ["vast", "runpod", "aws", "shadeform"]},
         "market": "on_demand", "image": "img", "command": ["train"]}
        """
    }

    private func json(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> [String: Any]
    {
        try await SimulatedMarketDaemon.json(client, method, url, body: body, token: token)
    }

    /// The simulated provider's instances that carry a gridbroker tag, by name (a name twice is a
    /// duplicate launch).
    private func providerInstances(sim: String) async throws -> [String] {
        let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
        return instances.compactMap { $0["name"] as? String }.filter { $0.hasPrefix("gridbroker-") }.sorted()
    }

    /// The lines with `message` about `provider` in the logs of `processes`, in time order (to the
    /// second; within one second, by process).
    private static func lines(_ message: String, provider: String, in processes: [GridbrokerProcess]) -> [(
        time: Substring, process: Int
    )] {
        processes.enumerated().flatMap { index, process in
            process.log.split(separator: "\n").filter {
                $0.hasSuffix("] \(message)") && $0.contains(" provider=\(provider) ")
            }
            .compactMap { line in line.split(separator: " ").first.map { (time: $0, process: index) } }
        }.sorted { ($0.time, $0.process) < ($1.time, $1.process) }
    }

    /// Each job's state and its live nodes (not terminated or failed), named as the tags name them.
    private func jobs(_ ids: [String], api: String, admin: String) async throws -> [(state: String, live: [String])] {
        var answers: [(String, [String])] = []
        for id in ids {
            let answer = try await json(.get, "\(api)/v1/jobs/\(id)", token: admin)
            let nodes = answer["nodes"] as? [[String: Any]] ?? []
            let live = nodes.filter { !["terminated", "failed"].contains($0["state"] as? String ?? "") }
            answers.append(
                (answer["state"] as? String ?? "?", live.compactMap { $0["id"] as? String }.map { "gridbroker-" + $0 }))
        }
        return answers
    }

    @Test func killingARandomBrokerTwentyTimesDuringProvisioningLosesNothing() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["GRIDBROKER_TEST_POSTGRES_URL"])
        let simProcess = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "3000", "--seed", "11", "--boot-seconds", "1", "--shutdown-seconds",
                "1", "--run-agents", "--agent-interval", "0.5",
            ], in: folder)
        let sim = "http://127.0.0.1:\(try await simProcess.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#))"
        let configPath = try SimulatedMarketDaemon.config(
            in: folder, simPort: String(sim.split(separator: ":").last ?? ""))
        let environment = [
            "GRIDBROKER_DATABASE_URL": url + "&schema=crash_" + UUID().uuidString.prefix(8).lowercased(),
            "GRIDBROKER_DATABASE_LEASE_S": "3", "SIMULATED_MARKET_API_KEY": "test-key",
            "GRIDBROKER_SCHEDULER_INTERVAL_S": "1", "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1",
            "GRIDBROKER_SCHEDULER_LAUNCH_TIMEOUT_S": "120",
        ].merging(
            // Polls every 2 s: brokers polling one provider at once would hand its polls back and forth.
            (0..<5).map { ("GRIDBROKER_PROVIDERS_\($0)_POLL_INTERVAL_S", "2") }
        ) { $1 }
        let admin = try await GridbrokerProcess.bootstrapToken(config: configPath, in: folder, environment: environment)
        // Fixed ports: a broker started again is where its nodes' agents look for it.
        let ports = try (0..<3).map { _ in try SimulatedMarketDaemon.freePort() }
        /// Every broker process started, killed ones included, for their poll logs.
        var started: [GridbrokerProcess] = []
        func start(_ index: Int) async throws -> GridbrokerProcess {
            let process = try GridbrokerProcess(
                ["serve", "--config", configPath], in: folder,
                environment: environment.merging(["GRIDBROKER_SERVER_PORT": "\(ports[index])"]) { $1 })
            started.append(process)
            _ = try await process.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
            return process
        }
        var brokers: [GridbrokerProcess] = []
        for index in 0..<3 { brokers.append(try await start(index)) }
        let api = { (index: Int) in "http://127.0.0.1:\(ports[index])" }

        // Lambda answers slowly: each launch is in flight for four seconds, most kills land among them.
        _ = try await json(.put, "\(sim)/_sim/faults/lambda", body: #"{"latency_ms": 4000}"#)
        var ids: [String] = []
        for index in 0..<4 {
            let answer = try await json(.post, "\(api(index % 3))/v1/jobs", body: Self.spec(index), token: admin)
            ids.append(try #require(answer["id"] as? String))
        }
        var random = SplitMix64(seed: 20_261_207)
        for _ in 0..<20 {
            let victim = Int(random.next() % 3)
            brokers[victim].signal(SIGKILL)
            _ = try await brokers[victim].waitForExit()
            brokers[victim] = try await start(victim)
        }
        _ = try await json(.delete, "\(sim)/_sim/faults/lambda")

        let survivor = api(0)
        do {
            _ = try await SimulatedMarketDaemon.eventually("every job running on one node the provider holds") {
                let states = try await jobs(ids, api: survivor, admin: admin)
                let believed = states.flatMap(\.live).sorted()
                let held = try await providerInstances(sim: sim)
                let settled = states.allSatisfy { $0.state == "running" && $0.live.count == 1 } && believed == held
                return settled ? true : nil
            }
        } catch {
            let states = try? await jobs(ids, api: survivor, admin: admin)
            let held = try? await providerInstances(sim: sim)
            Issue.record("jobs: \(String(describing: states)); provider: \(String(describing: held))")
            throw error
        }
        for id in ids {
            let timeline =
                try await json(.get, "\(survivor)/v1/jobs/\(id)/events", token: admin)["events"] as? [[String: Any]]
                ?? []
            #expect(timeline.filter { $0["kind"] as? String == "node.requested" }.count >= 1)
        }

        // No provider polled by two brokers at once: its polls pass from one broker process to another
        // only when its lease does, after its holder was killed (20 kills at most, and far fewer than
        // its polls), where brokers polling together every 2 s would alternate at almost every poll.
        // Enough polls to tell brokers taking turns from brokers polling together: on an idle machine
        // the kills and the launches can be over in fifteen seconds, seven polls at most.
        let providers = ["vast", "runpod", "lambda", "aws", "shadeform"]
        _ = try await SimulatedMarketDaemon.eventually("ten polls of every provider") {
            providers.allSatisfy { Self.lines("polled", provider: $0, in: started).count >= 10 } ? true : nil
        }
        for provider in providers {
            let polls = Self.lines("polled", provider: provider, in: started)
            let handovers = zip(polls, polls.dropFirst()).filter { $0.process != $1.process }.count
            let failed = Self.lines("poll failed", provider: provider, in: started).count
            #expect(polls.count >= 10, "\(provider): \(polls.count) polls, \(failed) failed")
            // Brokers polling at once would hand nearly every poll over (121 of 122 when measured).
            #expect(
                handovers <= 20 && handovers * 2 < polls.count,
                "\(provider): \(handovers) handovers in \(polls.count) polls")
        }

        for id in ids { _ = try await json(.post, "\(survivor)/v1/jobs/\(id)/cancel", token: admin) }
        _ = try await SimulatedMarketDaemon.eventually("nothing left at the provider") {
            try await providerInstances(sim: sim).isEmpty ? true : nil
        }
        for broker in brokers {
            broker.signal(SIGTERM)
            #expect(try await broker.waitForExit() == 0)
        }
        simProcess.signal(SIGTERM)
        await client.shutdown()
    }
}
