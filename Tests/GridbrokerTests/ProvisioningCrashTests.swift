import CurlHTTP
import Foundation
import Testing

/// The daemon placing a job on the simulated market, killed with SIGKILL while a launch is in
/// flight, then restarted: the provider must end up holding exactly the instances the broker
/// believes in, and a cancel must leave nothing billing.
@Suite("Provisioning survives kill -9", .serialized)
struct ProvisioningCrashTests {
    private let folder: URL
    private let client = CurlHTTPClient()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-crash-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A 1-node job that only Lambda can take (every other provider excluded).
    private static let spec = """
        {"name": "crash-test", "resources": {"gpu": ["A10", "A100-40GB", "A100-80GB", "H100"], "gpus_per_node": 1,
         "nodes": 1}, "placement": {"exclude_providers": ["vast", "runpod", "aws", "shadeform"]},
         "market": "on_demand", "image": "img", "command": ["train"]}
        """

    /// Settings that make the fleet react in about a second.
    private static let environment = [
        "SIMULATED_MARKET_API_KEY": "test-key", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
        "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1", "GRIDBROKER_SCHEDULER_LAUNCH_TIMEOUT_S": "120",
    ]

    private func json(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> [String: Any]
    {
        try await SimulatedMarketDaemon.json(client, method, url, body: body, token: token)
    }

    /// The simulated provider's live instances that carry a gridbroker tag, by name.
    private func providerInstances(sim: String) async throws -> Set<String> {
        let answer = try await json(.get, "\(sim)/_sim/instances")
        let instances = answer["instances"] as? [[String: Any]] ?? []
        return Set(
            instances.compactMap { instance in
                guard let name = instance["name"] as? String, name.hasPrefix("gridbroker-") else { return nil }
                return name
            })
    }

    /// The instances the broker believes in: its job's nodes that are not terminated or failed and
    /// have an instance, named as the tag names them.
    private func brokerInstances(api: String, job: String, admin: String) async throws
        -> (names: Set<String>, states: [String])
    {
        let answer = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)
        let nodes = answer["nodes"] as? [[String: Any]] ?? []
        let live = nodes.filter { !["terminated", "failed"].contains($0["state"] as? String ?? "") }
        return (
            Set(live.compactMap { $0["id"] as? String }.map { "gridbroker-" + $0 }),
            nodes.compactMap { $0["state"] as? String }
        )
    }

    private func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        _ = try await SimulatedMarketDaemon.eventually(what) { try await condition() ? true : nil }
    }

    @Test func killedDuringALaunchLeavesNeitherDuplicateNorLeak() async throws {
        let simProcess = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "3000", "--seed", "7", "--boot-seconds", "1", "--shutdown-seconds",
                "1", "--run-agents", "--agent-interval", "0.5",
            ], in: folder)
        let sim = "http://127.0.0.1:\(try await simProcess.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#))"
        // A fixed port, so the nodes' agents reach the daemon again after its restart.
        let configPath = try SimulatedMarketDaemon.config(
            in: folder, simPort: String(sim.split(separator: ":").last ?? ""),
            apiPort: try SimulatedMarketDaemon.freePort())
        let admin = try await GridbrokerProcess.bootstrapToken(config: configPath, in: folder)
        var daemon = try GridbrokerProcess(
            ["serve", "--config", configPath], in: folder, environment: Self.environment)
        var api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"
        _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=lambda .*polled")

        // Lambda answers slowly now: the launch is in flight long enough to kill the daemon under it.
        // Ten seconds, so a loaded machine's slow answers still see the node while it is requested.
        _ = try await json(.put, "\(sim)/_sim/faults/lambda", body: #"{"latency_ms": 10000}"#)
        let job = try #require(try await json(.post, "\(api)/v1/jobs", body: Self.spec, token: admin)["id"] as? String)
        do {
            try await eventually("the intent to launch") {
                try await brokerInstances(api: api, job: job, admin: admin).states.contains("requested")
            }
        } catch {
            Issue.record("the daemon's log so far:\n\(daemon.log.suffix(6000))")
            throw error
        }
        daemon.signal(SIGKILL)
        _ = try await daemon.waitForExit()
        // The provider finishes the launch for a client that is gone: an instance nobody recorded.
        var launched: Set<String> = []
        try await eventually("the provider to create the instance") {
            launched = try await providerInstances(sim: sim)
            return !launched.isEmpty
        }
        _ = try await json(.delete, "\(sim)/_sim/faults/lambda")

        daemon = try GridbrokerProcess(["serve", "--config", configPath], in: folder, environment: Self.environment)
        api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"
        // After restart the broker adopts that instance rather than launching another: the
        // provider holds exactly the instance the broker believes in, and the job runs on it.
        try await eventually("a running job on the adopted instance") {
            let broker = try await brokerInstances(api: api, job: job, admin: admin)
            let provider = try await providerInstances(sim: sim)
            let state = try await json(.get, "\(api)/v1/jobs/\(job)", token: admin)["state"] as? String
            return state == "running" && broker.names == provider && provider == launched
        }
        let timeline =
            try await json(.get, "\(api)/v1/jobs/\(job)/events", token: admin)["events"] as? [[String: Any]] ?? []
        #expect(timeline.filter { $0["kind"] as? String == "node.requested" }.count == 1)

        let cancel = try await json(.post, "\(api)/v1/jobs/\(job)/cancel", token: admin)
        #expect(cancel["state"] as? String == "cancelled")
        try await eventually("every instance terminated, and the broker agreeing") {
            let broker = try await brokerInstances(api: api, job: job, admin: admin)
            return try await providerInstances(sim: sim).isEmpty && broker.names.isEmpty
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        simProcess.signal(SIGTERM)
        await client.shutdown()
    }
}
