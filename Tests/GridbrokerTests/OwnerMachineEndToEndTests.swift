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
            [
                "agent", "host", "--broker", base, "--name", "rack-1", "--gpu", "A100-80GB", "--gpus", "8",
                "--work-dir",
                folder.appendingPathComponent("rack-1").path,
            ], in: folder,
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
            [
                "agent", "host", "--broker", base, "--name", "rack-1", "--gpu", "A100-80GB", "--gpus", "8",
                "--work-dir",
                folder.appendingPathComponent("rack-1").path,
            ], in: folder,
            environment: ["GRIDBROKER_JOIN_TOKEN": joinToken])
        _ = try await again.waitForLog("registered as")
        _ = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/join-tokens/\(joinID)/revoke", token: admin)
        #expect(try await again.waitForExit(timeout: .seconds(30)) != 0)
        #expect(again.log.contains("the broker refused this machine"))
    }

    @Test(
        "a job placed on a pool machine runs there for real: the host starts the node agent, the job succeeds, logs come back"
    )
    func jobRunsOnPoolMachine() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-host-job-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Nodes must be told the daemon's real port: pick a free one.
        let port = try SimulatedMarketDaemon.freePort()
        let config = try SimulatedMarketDaemon.config(in: folder, simPort: "9", apiPort: port)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", config], in: folder,
            environment: [
                "GRIDBROKER_SCHEDULER_AGENT_INTERVAL_S": "1", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
                "GRIDBROKER_POOLS_MACHINE_TIMEOUT_S": "6",
            ])
        defer { daemon.signal(SIGTERM) }
        _ = try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
        let base = "http://127.0.0.1:\(port)"
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let client = CurlHTTPClient()
        defer { Task { await client.shutdown() } }
        _ = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools",
            body:
                #"{"id": "lab", "name": "Lab", "country": "DE", "region": "berlin-1", "market": "on_demand", "#
                + #""price_per_gpu_hour": 0.25}"#, token: admin)
        let issued = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools/lab/join-tokens", body: #"{"name": "rack"}"#, token: admin)
        let host = try GridbrokerProcess(
            [
                "agent", "host", "--broker", base, "--name", "rack-1", "--gpu", "A100-80GB", "--gpus", "8",
                "--no-docker",
                "--work-dir", folder.path,
            ], in: folder, environment: ["GRIDBROKER_JOIN_TOKEN": try #require(issued["token"] as? String)])
        defer { host.signal(SIGTERM) }
        _ = try await host.waitForLog("registered as")

        let spec =
            #"{"name": "on-the-rack", "resources": {"gpu": ["A100-80GB"], "gpus_per_node": 8, "nodes": 1}, "#
            + #""image": "img", "command": ["sh", "-c", "echo hello from the rack; echo rank $NODE_RANK; sleep 4"], "#
            + #""max_price_per_hour": 5}"#
        let job = try #require(
            try await SimulatedMarketDaemon.json(client, .post, base + "/v1/jobs", body: spec, token: admin)["id"]
                as? String)
        do {
            _ = try await SimulatedMarketDaemon.eventually("the job to succeed on the rack", timeout: .seconds(90)) {
                let state = try await SimulatedMarketDaemon.json(client, .get, base + "/v1/jobs/\(job)", token: admin)[
                    "state"]
                return state as? String == "succeeded" ? true : nil
            }
        } catch {
            let events = try await SimulatedMarketDaemon.json(
                client, .get, base + "/v1/jobs/\(job)/events", token: admin)
            Issue.record("\(error)\nevents: \(events)\nhost: \(host.log)\ndaemon: \(daemon.log.suffix(3000))")
            throw error
        }
        let nodes = try await SimulatedMarketDaemon.json(client, .get, base + "/v1/jobs/\(job)", token: admin)["nodes"]
        let node = try #require((nodes as? [[String: Any]])?.first)
        #expect(node["provider"] as? String == "lab" && node["offer_id"] as? String == "lab:rack-1")
        #expect(node["price_per_hour"] as? Double == 2.0)
        let lines = try await SimulatedMarketDaemon.eventually("the rack's output") {
            let text =
                (try await SimulatedMarketDaemon.json(client, .get, base + "/v1/jobs/\(job)/logs", token: admin)[
                    "lines"]
                as? [[String: Any]])?.compactMap { $0["text"] as? String }
            return text?.contains("hello from the rack") == true ? text : nil
        }
        #expect(lines.contains("rank 0"))
        // What the owner earned: one node of 8 GPUs, billed at the pool's price.
        let usage = try await SimulatedMarketDaemon.json(client, .get, base + "/v1/admin/pools/lab/usage", token: admin)
        let machine = try #require((usage["machines"] as? [[String: Any]])?.first)
        #expect(machine["machine"] as? String == "rack-1" && machine["nodes"] as? Int == 1)
        #expect((machine["gpu_hours"] as? Double ?? 0) > 0 && (usage["earned_usd"] as? Double ?? 0) > 0)
        #expect(host.log.contains("started node") && host.log.contains("ended (0)"))
        // Back in the market once its node is done.
        _ = try await SimulatedMarketDaemon.eventually("the rack free again") {
            let offers = try await SimulatedMarketDaemon.json(
                client, .get, base + "/v1/offers?provider=lab", token: admin)
            return (offers["offers"] as? [[String: Any]])?.first?["available"] as? Int == 1 ? true : nil
        }
    }

    @Test(
        "the owner takes a machine back mid-job: the node moves to another machine, the job succeeds, and the machine offers nothing until released"
    )
    func ownerReclaims() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-reclaim-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = try SimulatedMarketDaemon.freePort()
        let config = try SimulatedMarketDaemon.config(in: folder, simPort: "9", apiPort: port)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", config], in: folder,
            environment: [
                "GRIDBROKER_SCHEDULER_AGENT_INTERVAL_S": "1", "GRIDBROKER_SCHEDULER_INTERVAL_S": "1",
                "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1", "GRIDBROKER_POOLS_MACHINE_TIMEOUT_S": "6",
            ])
        defer { daemon.signal(SIGTERM) }
        _ = try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)
        let base = "http://127.0.0.1:\(port)"
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let client = CurlHTTPClient()
        defer { Task { await client.shutdown() } }
        _ = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools",
            body:
                #"{"id": "lab", "name": "Lab", "country": "DE", "region": "berlin-1", "market": "spot", "#
                + #""min_notice_s": 30, "price_per_gpu_hour": 0.25}"#, token: admin)
        let issued = try await SimulatedMarketDaemon.json(
            client, .post, base + "/v1/admin/pools/lab/join-tokens", body: #"{"name": "racks"}"#, token: admin)
        let joinToken = try #require(issued["token"] as? String)
        var hosts: [String: GridbrokerProcess] = [:]
        for name in ["rack-1", "rack-2"] {
            let work = folder.appendingPathComponent(name).path
            hosts[name] = try GridbrokerProcess(
                [
                    "agent", "host", "--broker", base, "--name", name, "--gpu", "A100-80GB", "--gpus", "8",
                    "--no-docker", "--work-dir", work, "--notice", "40",
                ], in: folder, environment: ["GRIDBROKER_JOIN_TOKEN": joinToken])
            _ = try await hosts[name]!.waitForLog("registered as")
        }
        defer { for host in hosts.values { host.signal(SIGKILL) } }

        let spec =
            #"{"name": "borrowed", "resources": {"gpu": ["A100-80GB"], "gpus_per_node": 8, "nodes": 1}, "#
            + #""market": "spot", "image": "img", "command": ["sh", "-c", "trap 'echo checkpoint asked' USR1; echo working; sleep 20; echo done"], "#
            + #""max_price_per_hour": 5}"#
        let job = try #require(
            try await SimulatedMarketDaemon.json(client, .post, base + "/v1/jobs", body: spec, token: admin)["id"]
                as? String)
        let first: String = try await SimulatedMarketDaemon.eventually("the job running on a rack") {
            let answer = try await SimulatedMarketDaemon.json(client, .get, base + "/v1/jobs/\(job)", token: admin)
            guard answer["state"] as? String == "running",
                let offer = (answer["nodes"] as? [[String: Any]])?.first?["offer_id"] as? String
            else { return nil }
            return String(offer.dropFirst("lab:".count))
        }
        let other = first == "rack-1" ? "rack-2" : "rack-1"

        // The owner of the first rack takes it back, with 40 s of notice.
        let reclaim = try await GridbrokerProcess.run(
            ["agent", "host", "reclaim", "--work-dir", folder.appendingPathComponent(first).path, "--notice", "40"],
            in: folder)
        #expect(reclaim.status == 0, "\(reclaim.output)")
        do {
            _ = try await SimulatedMarketDaemon.eventually("the job to succeed after moving", timeout: .seconds(120)) {
                let state = try await SimulatedMarketDaemon.json(client, .get, base + "/v1/jobs/\(job)", token: admin)[
                    "state"]
                return state as? String == "succeeded" ? true : nil
            }
        } catch {
            let events = try await SimulatedMarketDaemon.json(
                client, .get, base + "/v1/jobs/\(job)/events", token: admin)
            let messages = (events["events"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            Issue.record("\(messages)\n\(first): \(hosts[first]!.log)\n\(other): \(hosts[other]!.log)")
            throw error
        }
        let events = try await SimulatedMarketDaemon.json(client, .get, base + "/v1/jobs/\(job)/events", token: admin)
        let messages = (events["events"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("the owner takes machine \(first) back") }, "\(messages)")
        #expect(messages.contains { $0.contains("replacement on lab:\(other)") }, "\(messages)")
        #expect(hosts[other]!.log.contains("started node"))

        // Taken back, the rack offers nothing until the owner releases it.
        let offered = { () async throws -> Set<String> in
            let offers = try await SimulatedMarketDaemon.json(
                client, .get, base + "/v1/offers?provider=lab", token: admin)
            return Set((offers["offers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        }
        #expect(!(try await offered()).contains("lab:\(first)"))
        _ = try await GridbrokerProcess.run(
            ["agent", "host", "release", "--work-dir", folder.appendingPathComponent(first).path], in: folder)
        _ = try await SimulatedMarketDaemon.eventually("the rack lent again") {
            try await offered().contains("lab:\(first)") ? true : nil
        }
    }
}
