import CurlHTTP
import Foundation
import Testing

/// A real `gridbroker agent host` process lends a machine to a pool of a real daemon: it registers
/// with the pool's join token, is offered as `<pool>:<machine>` while it heartbeats, leaves the
/// market when stopped, and stops itself when its join token is revoked.
@Suite("An owner's machine joins a pool through the host agent", .serialized)
struct OwnerMachineEndToEndTests {
    @Test("register, offered while it heartbeats, withdrawn when it stops; a revoked join token stops it")
    func joinAndLeave() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-host-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = try SimulatedMarketDaemon.config(in: folder, simPort: "9")
        let environment = ["GRIDBROKER_POOLS_MACHINE_TIMEOUT_S": "6"]
        let daemon = try GridbrokerProcess(["serve", "--config", config], in: folder, environment: environment)
        defer { daemon.signal(SIGTERM) }
        let port = try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
        let base = "http://127.0.0.1:\(port)"
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let client = CurlHTTPClient()
        defer { Task { await client.shutdown() } }

        _ = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools",
            body:
                #"{"id": "lab", "name": "Lab", "country": "DE", "region": "berlin-1", "market": "spot", "#
                + #""price_per_gpu_hour": 0.5}"#, token: admin)
        let issued = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools/lab/join-tokens", body: #"{"name": "rack"}"#, token: admin)
        let joinToken = try #require(issued["token"] as? String)
        let joinID = try #require(issued["id"] as? String)

        let host = try GridbrokerProcess(
            ["agent", "host", "--broker", base, "--name", "rack-1", "--gpu", "A100-80GB", "--gpus", "8"], in: folder,
            environment: ["GRIDBROKER_JOIN_TOKEN": joinToken])
        _ = try await host.waitForLog(#"registered as (lab:rack-1)"#)
        let offered = try await SimulatedMarketDaemon.eventually("the machine's offer") {
            let offers =
                try await SimulatedMarketDaemon.json(
                    client, .get, base + "/v1/offers?provider=lab", token: admin)["offers"] as? [[String: Any]]
            return offers?.first { $0["id"] as? String == "lab:rack-1" }
        }
        #expect(offered["price_per_hour"] as? Double == 4.0 && offered["gpu_count"] as? Int == 8)
        #expect(!host.log.contains(joinToken), "the join token is never logged")

        // Stopped, the machine falls silent and leaves the market within the timeout.
        host.signal(SIGTERM)
        #expect(try await host.waitForExit() == 0)
        _ = try await SimulatedMarketDaemon.eventually("the silent machine withdrawn", timeout: .seconds(60)) {
            let offers =
                try await SimulatedMarketDaemon.json(
                    client, .get, base + "/v1/offers?provider=lab", token: admin)["offers"] as? [[String: Any]]
            return offers?.isEmpty == true ? true : nil
        }

        // Back again, then its join token is revoked: the broker refuses its heartbeat and it stops.
        let again = try GridbrokerProcess(
            ["agent", "host", "--broker", base, "--name", "rack-1", "--gpu", "A100-80GB", "--gpus", "8"], in: folder,
            environment: ["GRIDBROKER_JOIN_TOKEN": joinToken])
        _ = try await again.waitForLog("registered as")
        _ = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/join-tokens/\(joinID)/revoke", token: admin)
        #expect(try await again.waitForExit(timeout: .seconds(30)) != 0)
        #expect(again.log.contains("the broker refused this machine"))
    }
}
