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
