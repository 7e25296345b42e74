import CurlHTTP
import Foundation
import Testing

/// Real `gridbroker agent host` processes lend racks to an owner pool of a real daemon: they
/// register with the pool's join token, are offered as `<pool>:<machine>` while they heartbeat, run
/// the nodes placed on them for real, and step aside when their owner takes them back.
@Suite("An owner's machine in a pool, through the host agent", .serialized)
struct OwnerMachineEndToEndTests {
    @Test("register, offered while it heartbeats, withdrawn when it stops; a revoked join token stops it")
    func joinAndLeave() async throws {
        let lab = try await OwnerPoolLab.start(market: "spot", pricePerGPUHour: 0.5)
        let host = try await lab.host("rack-1")
        let offered = try await SimulatedMarketDaemon.eventually("the machine's offer") {
            try await lab.offers().first { $0["id"] as? String == "lab:rack-1" }
        }
        #expect(offered["price_per_hour"] as? Double == 4.0 && offered["gpu_count"] as? Int == 8)
        #expect(!host.log.contains(lab.joinToken), "the join token is never logged")

        // Stopped (SIGTERM: the owner takes it back; with no node on it, it exits at once), the
        // machine falls silent and leaves the market within the timeout.
        host.signal(SIGTERM)
        #expect(try await host.waitForExit() == 0)
        _ = try await SimulatedMarketDaemon.eventually("the silent machine withdrawn", timeout: .seconds(60)) {
            try await lab.offers().isEmpty ? true : nil
        }

        // Back again, then its join token is revoked: the broker refuses its heartbeat and it stops.
        let again = try await lab.host("rack-1")
        _ = try await lab.json(.post, "/v1/admin/join-tokens/\(lab.joinTokenID)/revoke")
        #expect(try await again.waitForExit(timeout: .seconds(30)) != 0)
        #expect(again.log.contains("the broker refused this machine"))
        await lab.stop()
    }

    @Test(
        "a job placed on a pool machine runs there for real: the host starts the node agent, the job succeeds, logs come back"
    )
    func jobRunsOnPoolMachine() async throws {
        let lab = try await OwnerPoolLab.start(market: "on_demand", pricePerGPUHour: 0.25)
        let host = try await lab.host("rack-1", ["--no-docker"])
        defer { host.signal(SIGTERM) }
        let spec =
            #"{"name": "on-the-rack", "resources": {"gpu": ["A100-80GB"], "gpus_per_node": 8, "nodes": 1}, "#
            + #""image": "img", "command": ["sh", "-c", "echo hello from the rack; echo rank $NODE_RANK; sleep 4"], "#
            + #""max_price_per_hour": 5}"#
        let job = try #require(try await lab.json(.post, "/v1/jobs", body: spec)["id"] as? String)
        try await lab.wait(for: job, "succeeded", hosts: [host])
        let node = try #require((try await lab.json(.get, "/v1/jobs/\(job)")["nodes"] as? [[String: Any]])?.first)
        #expect(node["provider"] as? String == "lab" && node["offer_id"] as? String == "lab:rack-1")
        #expect(node["price_per_hour"] as? Double == 2.0)
        let lines = try await SimulatedMarketDaemon.eventually("the rack's output") {
            let lines = try await lab.json(.get, "/v1/jobs/\(job)/logs")["lines"] as? [[String: Any]]
            let text = lines?.compactMap { $0["text"] as? String }
            return text?.contains("hello from the rack") == true ? text : nil
        }
        #expect(lines.contains("rank 0"))
        #expect(host.log.contains("started node") && host.log.contains("ended (0)"))
        // What the owner earned: one node of 8 GPUs, billed at the pool's price.
        let usage = try await lab.json(.get, "/v1/admin/pools/lab/usage")
        let machine = try #require((usage["machines"] as? [[String: Any]])?.first)
        #expect(machine["machine"] as? String == "rack-1" && machine["nodes"] as? Int == 1)
        #expect((machine["gpu_hours"] as? Double ?? 0) > 0 && (usage["earned_usd"] as? Double ?? 0) > 0)
        // Back in the market once its node is done.
        _ = try await SimulatedMarketDaemon.eventually("the rack free again") {
            try await lab.offers().first?["available"] as? Int == 1 ? true : nil
        }
        await lab.stop()
    }

    @Test(
        "the owner takes a machine back mid-job: the node moves to another machine, the job succeeds, and the machine offers nothing until released"
    )
    func ownerReclaims() async throws {
        let lab = try await OwnerPoolLab.start(market: "spot", pricePerGPUHour: 0.25)
        var hosts: [String: GridbrokerProcess] = [:]
        for name in ["rack-1", "rack-2"] { hosts[name] = try await lab.host(name, ["--no-docker", "--notice", "40"]) }
        defer { for host in hosts.values { host.signal(SIGKILL) } }
        let spec =
            #"{"name": "borrowed", "resources": {"gpu": ["A100-80GB"], "gpus_per_node": 8, "nodes": 1}, "#
            + #""market": "spot", "image": "img", "#
            + #""command": ["sh", "-c", "trap 'echo checkpoint asked' USR1; echo working; sleep 20; echo done"], "#
            + #""max_price_per_hour": 5}"#
        let job = try #require(try await lab.json(.post, "/v1/jobs", body: spec)["id"] as? String)
        let first: String = try await SimulatedMarketDaemon.eventually("the job running on a rack") {
            let answer = try await lab.json(.get, "/v1/jobs/\(job)")
            guard answer["state"] as? String == "running",
                let offer = (answer["nodes"] as? [[String: Any]])?.first?["offer_id"] as? String
            else { return nil }
            return String(offer.dropFirst("lab:".count))
        }
        let other = first == "rack-1" ? "rack-2" : "rack-1"

        // The owner of the first rack takes it back, with 40 s of notice.
        let reclaim = try await GridbrokerProcess.run(
            ["agent", "host", "reclaim", "--work-dir", lab.workDirectory(of: first), "--notice", "40"],
            in: lab.folder)
        #expect(reclaim.status == 0, "\(reclaim.output)")
        try await lab.wait(for: job, "succeeded", hosts: Array(hosts.values))
        let messages = try await lab.timeline(job)
        #expect(messages.contains { $0.contains("the owner takes machine \(first) back") }, "\(messages)")
        #expect(messages.contains { $0.contains("replacement on lab:\(other)") }, "\(messages)")
        #expect(hosts[other]!.log.contains("started node"))

        // Taken back, the rack offers nothing until the owner releases it.
        let offered = { () async throws -> Set<String> in Set(try await lab.offers().compactMap { $0["id"] as? String })
        }
        #expect(!(try await offered()).contains("lab:\(first)"))
        _ = try await GridbrokerProcess.run(
            ["agent", "host", "release", "--work-dir", lab.workDirectory(of: first)], in: lab.folder)
        _ = try await SimulatedMarketDaemon.eventually("the rack lent again") {
            try await offered().contains("lab:\(first)") ? true : nil
        }
        await lab.stop()
    }
}
