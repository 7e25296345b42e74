import CurlHTTP
import Foundation
import Testing

/// A real daemon (with no market to reach but an owner pool `lab` and its join token) and real host
/// agents lending racks to it: what the owner-machine end-to-end tests share.
struct OwnerPoolLab {
    let folder: URL
    let daemon: GridbrokerProcess
    let base: String
    let admin: String
    let client = CurlHTTPClient()
    let joinToken: String
    let joinTokenID: String

    /// Starts the daemon (placing, reconciling and heartbeating every second; a machine silent 6 s
    /// leaves the market) and creates the pool, `market` priced at `pricePerGPUHour`.
    static func start(market: String, pricePerGPUHour: Double) async throws -> OwnerPoolLab {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-pool-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Nodes must be told the daemon's real port: pick a free one.
        let port = try SimulatedMarketDaemon.freePort()
        let config = try SimulatedMarketDaemon.config(in: folder, simPort: "9", apiPort: port)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", config], in: folder,
            environment: [
                "GRIDBROKER_SCHEDULER_AGENT_INTERVAL_S": "1", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
                "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1", "GRIDBROKER_POOLS_MACHINE_TIMEOUT_S": "6",
            ])
        _ = try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
        let base = "http://127.0.0.1:\(port)"
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let client = CurlHTTPClient()
        _ = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools",
            body:
                #"{"id": "lab", "name": "Lab", "country": "DE", "region": "berlin-1", "market": "\#(market)", "#
                + #""min_notice_s": 30, "price_per_gpu_hour": \#(pricePerGPUHour)}"#, token: admin)
        let issued = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools/lab/join-tokens", body: #"{"name": "racks"}"#, token: admin)
        await client.shutdown()
        return OwnerPoolLab(
            folder: folder, daemon: daemon, base: base, admin: admin,
            joinToken: try #require(issued["token"] as? String),
            joinTokenID: try #require(issued["id"] as? String))
    }

    /// Starts `gridbroker agent host` lending rack `name` (8 A100-80GB) from a folder of its own;
    /// returns once it registered.
    func host(_ name: String, _ options: [String] = []) async throws -> GridbrokerProcess {
        let host = try GridbrokerProcess(
            [
                "agent", "host", "--broker", base, "--name", name, "--gpu", "A100-80GB", "--gpus", "8", "--work-dir",
                workDirectory(of: name),
            ] + options, in: folder, environment: ["GRIDBROKER_JOIN_TOKEN": joinToken])
        _ = try await host.waitForLog("registered as")
        return host
    }

    func workDirectory(of rack: String) -> String { folder.appendingPathComponent(rack).path }

    /// A call to the daemon with the admin token.
    func json(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> [String: Any] {
        try await SimulatedMarketDaemon.json(client, method, base + path, body: body, token: admin)
    }

    /// The pool's offers' ids.
    func offers() async throws -> [[String: Any]] {
        try await json(.get, "/v1/offers?provider=lab")["offers"] as? [[String: Any]] ?? []
    }

    /// Waits for `job` to reach `state`; on a timeout the failure carries its timeline and `hosts`' logs.
    func wait(for job: String, _ state: String, hosts: [GridbrokerProcess]) async throws {
        do {
            _ = try await SimulatedMarketDaemon.eventually("job \(job) \(state)", timeout: .seconds(120)) {
                try await json(.get, "/v1/jobs/\(job)")["state"] as? String == state ? true : nil
            }
        } catch {
            let logs = hosts.map(\.log).joined(separator: "\n")
            Issue.record("\(try await timeline(job))\n\(logs)")
            throw error
        }
    }

    /// The job's timeline messages.
    func timeline(_ job: String) async throws -> [String] {
        (try await json(.get, "/v1/jobs/\(job)/events")["events"] as? [[String: Any]] ?? []).compactMap {
            $0["message"] as? String
        }
    }

    func stop() async {
        daemon.signal(SIGTERM)
        await client.shutdown()
    }
}
