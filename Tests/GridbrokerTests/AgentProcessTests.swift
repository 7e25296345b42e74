import Foundation
import Testing

/// The real `gridbroker agent` running a small shell script against a fake broker.
@Suite("gridbroker agent as a process", .serialized)
struct AgentProcessTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-agent-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes `body` as a /bin/sh script with a `report` function that writes the progress file
    /// whole from `$finished` and `$checkpoint`, and returns its path.
    private func script(_ body: String) throws -> String {
        let path = folder.appendingPathComponent("train.sh").path
        let text = """
            finished=""
            checkpoint=""
            report() {
                extra=""
                [ -n "$checkpoint" ] && extra=", \\"checkpoint\\": {\\"uri\\": \\"$checkpoint\\", \\"at\\": \\"2026-11-21T15:02:11Z\\"}"
                printf '{"shards_done": [%s]%s}' "$finished" "$extra" > "$GRIDBROKER_PROGRESS_FILE.part"
                mv "$GRIDBROKER_PROGRESS_FILE.part" "$GRIDBROKER_PROGRESS_FILE"
            }
            env > "\(folder.path)/env.txt"

            """
        try (text + body).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The machine's non-loopback IPv4 addresses, by `hostname -I`.
    private static func machineIPv4Addresses() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/hostname")
        process.arguments = ["-I"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !$0.contains(":") }
    }

    private func startAgent(_ broker: String, script: String, options: [String] = []) throws -> GridbrokerProcess {
        try GridbrokerProcess(
            ["agent", "--interval", "0.1", "--work-dir", folder.appendingPathComponent("work").path] + options + [
                "--", "/bin/sh", script,
            ],
            in: folder, environment: ["GRIDBROKER_URL": broker, "GRIDBROKER_AGENT_TOKEN": FakeBroker.token])
    }

    @Test func worksThroughItsShardsCheckpointsOnRequestAndReportsItsExit() async throws {
        let train = try script(
            """
            trap 'checkpoint="$GRIDBROKER_CHECKPOINT_URI/step-$NODE_RANK"; report' USR1
            for shard in $(cat "$GRIDBROKER_SHARDS_FILE"); do
                finished="${finished:+$finished, }$shard"
                report
            done
            while [ -z "$checkpoint" ]; do sleep 0.05; done
            exit 0
            """)
        let broker = FakeBroker(shards: [0, 1, 2], unavailable: 2)
        try await broker.serve { url in
            let agent = try startAgent(url, script: train)
            _ = try await agent.waitUntil("the shards reported done") {
                broker.heartbeats.first { $0.shardsDone == [0, 1, 2] }
            }
            broker.ask("checkpoint")
            #expect(try await agent.waitForExit() == 0)

            let heartbeats = broker.heartbeats
            #expect(broker.refused == 2)  // the broker was unreachable at first; the agent kept trying
            #expect(heartbeats.first?.status == "starting")
            #expect(heartbeats.contains { $0.status == "running" })
            let final = try #require(heartbeats.last)
            #expect(final.status == "exited")
            #expect(final.exitCode == 0)
            #expect(final.shardsDone == [0, 1, 2])
            #expect(final.checkpoint?.uri == "s3://ckpt/run-7/step-0")
            #expect(heartbeats.filter { $0.status == "exited" }.count == 1)
            // Without --address the agent reports one of the machine's own IPv4 addresses (as
            // `hostname -I` lists the non-loopback ones), the same in every heartbeat; none without one.
            let own = try Self.machineIPv4Addresses()
            #expect(heartbeats.allSatisfy { $0.address == heartbeats.first?.address })
            if own.isEmpty {
                #expect(heartbeats.first?.address == nil)
            } else {
                #expect(own.contains(heartbeats.first?.address ?? "none"), "\(own)")
            }
            #expect(!agent.log.contains(FakeBroker.token))
        }
        let environment = try String(contentsOf: folder.appendingPathComponent("env.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        for expected in ["NODE_RANK=0", "NNODES=2", "GPUS_PER_NODE=8", "MASTER_ADDR=127.0.0.1", "MASTER_PORT=29500"] {
            #expect(environment.contains(expected))
        }
        #expect(!environment.contains { $0.hasPrefix("GRIDBROKER_AGENT_TOKEN=") })
        // The broker's list shrank to nothing as shards were reported; the file followed.
        let shards = try String(contentsOf: folder.appendingPathComponent("work/shards.txt"), encoding: .utf8)
        #expect(shards == "")
    }

    /// `stop` from the broker, or SIGTERM to the agent itself: the command is terminated, its end reported.
    @Test(arguments: [true, false])
    func stopTerminatesTheCommandAndTheAgentExits(brokerAsks: Bool) async throws {
        let train = try script(
            """
            echo $$ > "\(folder.path)/pid"
            finished="0"
            report
            exec sleep 300
            """)
        let broker = FakeBroker(shards: [0, 1])
        try await broker.serve { url in
            let agent = try startAgent(url, script: train, options: ["--address", "10.9.8.7"])
            _ = try await agent.waitUntil("the first shard reported") {
                broker.heartbeats.first { $0.shardsDone == [0] }
            }
            if brokerAsks { broker.ask("stop") } else { agent.signal(SIGTERM) }
            #expect(try await agent.waitForExit() == 0)
            let final = try #require(broker.heartbeats.last)
            #expect(final.status == "exited")
            #expect(final.exitCode == 128 + Int(SIGTERM))
            #expect(broker.heartbeats.allSatisfy { $0.address == "10.9.8.7" })
        }
        let pid = try String(contentsOf: folder.appendingPathComponent("pid"), encoding: .utf8)
        #expect(kill(pid_t(pid.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 0) == -1)  // gone
    }
}

/// The agent's other duties, as a process: the command's output to the broker, the job's shard
/// objects in the shards file, the whole process tree stopped, and the command in a container.
@Suite("gridbroker-agent: output, objects, process tree, container", .serialized)
struct AgentDutiesTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-duties-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        return path
    }

    private func agent(_ broker: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> GridbrokerProcess
    {
        try GridbrokerProcess(
            ["agent", "--interval", "0.1", "--work-dir", folder.appendingPathComponent("work").path] + arguments,
            in: folder,
            environment: ["GRIDBROKER_URL": broker, "GRIDBROKER_AGENT_TOKEN": FakeBroker.token].merging(environment) {
                $1
            })
    }

    @Test("every line the command writes reaches the broker once, in order, though the broker refused at first")
    func outputReachesTheBroker() async throws {
        let train = try write(
            "talk.sh",
            """
            i=1
            while [ $i -le 200 ]; do echo "out $i"; [ $((i % 50)) -eq 0 ] && echo "err $i" >&2; i=$((i + 1)); done
            printf 'no newline at the end'
            """)
        let broker = FakeBroker(shards: [0], logsUnavailable: 2)
        try await broker.serve { url in
            let agent = try agent(url, ["--", "/bin/sh", train])
            #expect(try await agent.waitForExit() == 0)
            let lines = broker.logLines
            let unique = Dictionary(lines.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
            let ordered = unique.keys.sorted().compactMap { unique[$0] }
            #expect(ordered.map(\.seq) == Array(1...ordered.count))
            #expect(ordered.filter { $0.stream == "stdout" }.map(\.text).prefix(3) == ["out 1", "out 2", "out 3"])
            #expect(
                ordered.filter { $0.stream == "stderr" }.map(\.text) == ["err 50", "err 100", "err 150", "err 200"])
            // Standard output and error are two pipes: order holds within each, not between them.
            #expect(ordered.filter { $0.stream == "stdout" }.last?.text == "no newline at the end")
            #expect(ordered.count == 205)
            // The agent's own output has the command's lines too (the machine's journal).
            #expect(agent.log.contains("out 200"))
        }
    }

    @Test("with a manifest, each line of the shards file holds the shard's objects' URIs")
    func shardObjects() async throws {
        let train = try write("copy.sh", "cat \"$GRIDBROKER_SHARDS_FILE\" > \"\(folder.path)/seen.txt\"\n")
        let broker = FakeBroker(shards: [0, 1], objects: [0: ["s3://b/a", "s3://b/b"], 1: ["s3://b/c"]])
        try await broker.serve { url in
            let agent = try agent(url, ["--", "/bin/sh", train])
            #expect(try await agent.waitForExit() == 0)
        }
        let seen = try String(contentsOf: folder.appendingPathComponent("seen.txt"), encoding: .utf8)
        #expect(seen == "0\ts3://b/a\ts3://b/b\n1\ts3://b/c\n")
    }

    @Test("stop reaches everything the command started, background processes included")
    func processTree() async throws {
        let train = try write(
            "tree.sh",
            """
            sleep 300 &
            echo $! > "\(folder.path)/child.pid"
            echo $$ > "\(folder.path)/parent.pid"
            wait
            """)
        let broker = FakeBroker(shards: [0])
        try await broker.serve { url in
            let agent = try agent(url, ["--", "/bin/sh", train])
            _ = try await agent.waitUntil("the command started its child") {
                FileManager.default.contents(atPath: folder.appendingPathComponent("parent.pid").path)
            }
            broker.ask("stop")
            #expect(try await agent.waitForExit() == 0)
        }
        for name in ["child.pid", "parent.pid"] {
            let pid = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try await agentlessWait("\(name) to end") { Self.isRunning(pid) ? nil : true }
        }
    }

    /// Whether process `pid` still runs (a zombie, killed and not yet reaped by whoever adopted it,
    /// does not).
    private static func isRunning(_ pid: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
    }

    private func agentlessWait(_ what: String, _ condition: () -> Bool?) async throws -> Bool {
        try await SimulatedMarketDaemon.eventually(what, timeout: .seconds(30)) { condition() }
    }

    @Test("on a virtual machine the command runs in its image by docker run, its variables by name only")
    func container() async throws {
        // A docker that records its arguments and runs the command (as the simulated market's does).
        let docker = try write(
            "docker",
            """
            #!/bin/sh
            echo "$*" >> "\(folder.path)/docker.log"
            [ "$1" = run ] || exit 0
            while [ "$1" != img:1 ]; do shift; done
            shift
            exec "$@"
            """, executable: true)
        let spec = try write(
            "node.json",
            """
            {"broker": "@@URL@@", "token": "\(FakeBroker.token)", "node_id": "node_9", "image": "img:1",
             "command": ["/bin/sh", "-c", "echo secret=$SECRET_SETTING; echo token=${GRIDBROKER_AGENT_TOKEN:-none}"],
             "environment": {"SECRET_SETTING": "s3cr3t value"}, "interval_s": 0.1}
            """)
        let broker = FakeBroker(shards: [0])
        try await broker.serve { url in
            let text = try String(contentsOfFile: spec, encoding: .utf8).replacingOccurrences(of: "@@URL@@", with: url)
            try text.write(toFile: spec, atomically: true, encoding: .utf8)
            let agent = try GridbrokerProcess(
                ["agent", "run", "--spec", spec, "--work-dir", folder.appendingPathComponent("work").path], in: folder,
                environment: ["PATH": folder.path + ":/usr/bin:/bin"])
            #expect(try await agent.waitForExit() == 0)
            #expect(broker.logLines.map(\.text) == ["secret=s3cr3t value", "token=none"])
        }
        let calls = try String(contentsOf: URL(fileURLWithPath: docker + ".log"), encoding: .utf8)
        #expect(calls.contains("rm -f gridbroker-node_9"))
        #expect(calls.contains("run --rm --init --name gridbroker-node_9 --gpus all --network host --ipc host -v"))
        #expect(calls.contains("-e SECRET_SETTING"))
        #expect(!calls.contains("s3cr3t"), "values never on docker's command line")
        #expect(!calls.contains(FakeBroker.token))
    }
}
