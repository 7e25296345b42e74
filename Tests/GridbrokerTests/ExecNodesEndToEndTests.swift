import Crypto
import CurlHTTP
import Foundation
import Testing

/// Real nodes: the daemon and `gridbroker sim --exec-nodes`, which runs each launch's boot script
/// (EC2) or container command (Vast) as real processes. The boot script downloads the agent from the
/// daemon and checks it; the agent runs `examples/train.py` (in a container on EC2, through the
/// simulator's docker stand-in), ships its output, and survives a spot reclaim by a checkpoint.
@Suite("Real node processes: the agent delivered, the job run, its logs, a reclaim", .serialized)
struct ExecNodesEndToEndTests {
    private let folder: URL
    private let client = CurlHTTPClient()
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-exec-nodes-\(UUID())")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("var/manifests"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.repository.appendingPathComponent("examples/toy-manifest.jsonl"),
            to: folder.appendingPathComponent("var/manifests/toy-manifest.jsonl"))
    }

    /// Two nodes on EC2 spot (virtual machines: boot script, agent on the host, the command in a
    /// container), 48 shards cut from the 96-object manifest, checkpoints in the test's folder.
    private var gangSpec: String {
        """
        {"name": "exec-gang", "resources": {"gpu": ["A10G", "T4", "V100", "L4"], "gpus_per_node": 1, "nodes": 2},
         "placement": {"exclude_providers": ["vast", "runpod", "lambda", "shadeform"], "same_region": false},
         "market": "spot", "dataset": {"uri": "s3://team-data/toy", "shards": 48, "manifest": "toy-manifest.jsonl"},
         "checkpoint": {"uri": "file://\(folder.path)/checkpoints"}, "image": "python:3.12-slim",
         "command": ["python3", "\(Self.repository.path)/examples/train.py"],
         "env": {"TRAIN_SECONDS_PER_SHARD": "1.2", "CHECKPOINT_EVERY": "3"}}
        """
    }

    /// One node on Vast (a container: the agent runs inside the job's image), shards as numbers.
    private var singleSpec: String {
        """
        {"name": "exec-single", "resources": {"gpu": ["RTX4090", "RTX3090", "A100-80GB"], "gpus_per_node": 1, "nodes": 1},
         "placement": {"exclude_providers": ["aws", "runpod", "lambda", "shadeform"]},
         "market": "on_demand", "dataset": {"uri": "s3://team-data/small", "shards": 6},
         "image": "python:3.12-slim", "command": ["python3", "\(Self.repository.path)/examples/train.py"],
         "env": {"TRAIN_SECONDS_PER_SHARD": "0.2"}}
        """
    }

    private func json(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> [String: Any]
    {
        try await SimulatedMarketDaemon.json(client, method, url, body: body, token: token)
    }

    private func state(_ api: String, _ job: String, _ token: String) async throws -> String? {
        try await json(.get, "\(api)/v1/jobs/\(job)", token: token)["state"] as? String
    }

    @Test func twoJobsRunForRealThroughAReclaimWithTheirLogsAndNothingIsLeftRunning() async throws {
        let secret = "whsec_" + Data("gridbroker-exec-nodes-test-secret".utf8).base64EncodedString()
        let apiPort = try SimulatedMarketDaemon.freePort()
        let simProcess = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "3000", "--seed", "11", "--boot-seconds", "1", "--shutdown-seconds",
                "1", "--exec-nodes", "--nodes-dir", folder.appendingPathComponent("nodes").path, "--notify-url",
                "http://127.0.0.1:\(apiPort)",
            ], in: folder, environment: ["GRIDBROKER_WEBHOOK_SECRET": secret])
        let simPort = try await simProcess.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let sim = "http://127.0.0.1:\(simPort)"
        let configPath = try SimulatedMarketDaemon.config(in: folder, simPort: simPort, apiPort: apiPort)
        let admin = try await GridbrokerProcess.bootstrapToken(config: configPath, in: folder)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", configPath], in: folder,
            environment: [
                "SIMULATED_MARKET_API_KEY": "test-key", "GRIDBROKER_WEBHOOK_SECRET": secret,
                "GRIDBROKER_SCHEDULER_INTERVAL_S": "1", "GRIDBROKER_SCHEDULER_RECONCILE_INTERVAL_S": "1",
                "GRIDBROKER_SCHEDULER_AGENT_INTERVAL_S": "1",
            ])
        let api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"
        _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=aws .*polled")
        _ = try await daemon.waitForLog("offers=[1-9][0-9]* provider=vast .*polled")
        #expect(daemon.log.contains("node agent: "))

        let gang = try #require(try await json(.post, "\(api)/v1/jobs", body: gangSpec, token: admin)["id"] as? String)
        let single = try #require(
            try await json(.post, "\(api)/v1/jobs", body: singleSpec, token: admin)["id"] as? String)
        do {
            try await run(gang: gang, single: single, api: api, sim: sim, admin: admin)
        } catch {
            let events = try? await json(.get, "\(api)/v1/jobs/\(gang)/events", token: admin)
            let logs = "the simulator's log:\n\(simProcess.log)\nthe daemon's log:\n\(daemon.log)"
            Issue.record("the gang's events: \(events ?? [:])\n\(logs)")
            throw error
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        simProcess.signal(SIGTERM)
        #expect(try await simProcess.waitForExit() == 0)
        await client.shutdown()
    }

    private func run(gang: String, single: String, api: String, sim: String, admin: String) async throws {
        _ = try await SimulatedMarketDaemon.eventually("the gang running") {
            try await state(api, gang, admin) == "running" ? true : nil
        }
        try await checkTheServedAgent(api: api, sim: sim)

        // EC2 takes rank 1's machine back with notice: it checkpoints, is replaced, and the gang resumes.
        let nodes = try await json(.get, "\(api)/v1/jobs/\(gang)", token: admin)["nodes"] as? [[String: Any]] ?? []
        let rank1 = try #require(nodes.first { $0["rank"] as? Int == 1 }?["instance_id"] as? String)
        let instance = String(rank1.split(separator: "/").last ?? "")
        _ = try await SimulatedMarketDaemon.eventually("the first checkpoint (rank 0 saves the model)") {
            try await json(.get, "\(api)/v1/jobs/\(gang)/logs?rank=0", token: admin)["lines"].flatMap { lines in
                (lines as? [[String: Any]])?.contains { ($0["text"] as? String)?.contains("checkpoint") == true }
                    == true ? true : nil
            }
        }
        _ = try await json(.post, "\(sim)/_sim/instances/aws/\(instance)/reclaim?notice_s=3")
        for expected in ["succeeded"] {
            _ = try await SimulatedMarketDaemon.eventually("the gang \(expected)") {
                try await state(api, gang, admin) == expected ? true : nil
            }
        }
        _ = try await SimulatedMarketDaemon.eventually("the single node's job succeeded") {
            try await state(api, single, admin) == "succeeded" ? true : nil
        }
        let events =
            try await json(.get, "\(api)/v1/jobs/\(gang)/events", token: admin)["events"] as? [[String: Any]] ?? []
        let messages = events.compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("node 1 is being reclaimed") })
        #expect(messages.contains { $0.contains("resumed from file://") })

        // The logs through the CLI: both ranks, the replacement resuming, the shards' objects.
        let logs = try await GridbrokerProcess.run(
            ["logs", gang, "--tail", "10000"], in: folder,
            environment: ["GRIDBROKER_URL": api, "GRIDBROKER_TOKEN": admin]
        ).output
        #expect(logs.contains("] [rank 0] shard"))
        #expect(logs.contains("] [rank 1] resuming from file://"))
        #expect(logs.contains("object(s)), step"))
        #expect(!logs.contains("(0 object(s))"))
        let rank1Logs = try await GridbrokerProcess.run(
            ["logs", gang, "--rank", "1"], in: folder, environment: ["GRIDBROKER_URL": api, "GRIDBROKER_TOKEN": admin]
        ).output
        #expect(!rank1Logs.contains("[rank 0]"))

        // Nothing left billing: every instance gone at the provider, every node's processes gone.
        _ = try await SimulatedMarketDaemon.eventually("nothing left at the provider or on the machines") {
            let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
            return instances.isEmpty && Self.processes(under: folder.path).isEmpty ? true : nil
        }
    }

    /// The agent the daemon serves is what it announces, and runs with nothing but the C library.
    private func checkTheServedAgent(api: String, sim: String) async throws {
        let instances = try await json(.get, "\(sim)/_sim/instances")["instances"] as? [[String: Any]] ?? []
        let tokens = instances.compactMap { ($0["environment"] as? [String: String])?["GRIDBROKER_AGENT_TOKEN"] }
        let token = try #require(tokens.first)
        let response = try await client.execute(
            HTTPRequest(
                url: "\(api)/v1/agent/download", headers: ["Authorization": "Bearer \(token)"], retry: .none,
                maxResponseBytes: 1 << 30))
        #expect(response.status == 200)
        let digest = SHA256.hash(data: response.body).map { String(format: "%02x", $0) }.joined()
        #expect(response.headers["X-Gridbroker-Agent-Sha256"] == digest)
        let empty = folder.appendingPathComponent("downloaded")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let agent = empty.appendingPathComponent("gridbroker-agent")
        try Data(response.body).write(to: agent)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: agent.path)
        let version = try Self.output(of: ["/usr/bin/env", "-i", "./gridbroker-agent", "--version"], in: empty)
        #expect(version.status == 0)
        #expect(!version.text.isEmpty)
        let libraries = try Self.output(of: ["/usr/bin/ldd", agent.path], in: empty).text
            .split(separator: "\n").compactMap { $0.split(whereSeparator: \.isWhitespace).first.map(String.init) }
        let cLibrary = ["linux-vdso.so.1", "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1"]
        #expect(!libraries.isEmpty)
        #expect(
            libraries.allSatisfy { cLibrary.contains($0) || $0.contains("ld-linux") }, "ldd lists \(libraries)")
    }

    /// A command's exit status and output.
    private static func output(of words: [String], in directory: URL) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: words[0])
        process.arguments = Array(words.dropFirst())
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Processes whose `GRIDBROKER_HOME` is under `path`: what the simulated nodes still run.
    private static func processes(under path: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int32(entry) != nil, let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { return false }
            return String(decoding: environment, as: UTF8.self).split(separator: "\0")
                .contains { $0.hasPrefix("GRIDBROKER_HOME=\(path)") }
        }
    }
}
