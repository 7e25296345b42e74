import AgentRuntime
import Foundation
import NodeAgent
import Testing

/// The progress file the command writes, and the heartbeat bodies built from it.
@Suite("Agent progress and heartbeat bodies")
struct AgentProgressTests {
    private let path = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID()).json").path
    private let good = #"{"shards_done": [0, 2], "checkpoint": {"uri": "s3://c/step-5", "at": "2026-11-21T15:02:11Z"}}"#

    private func write(_ text: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func aMissingFileReadsAsNoProgress() {
        var reader = ProgressFileReader(path: path)
        #expect(reader.read() == AgentProgress())
    }

    @Test func aValidFileIsRead() throws {
        try write(good)
        var reader = ProgressFileReader(path: path)
        #expect(
            reader.read()
                == AgentProgress(
                    shardsDone: [0, 2], checkpoint: .init(uri: "s3://c/step-5", at: "2026-11-21T15:02:11Z")))
    }

    @Test func aHalfWrittenOrVanishedFileKeepsTheLastGoodRead() throws {
        try write(good)
        var reader = ProgressFileReader(path: path)
        let first = reader.read()
        try write(String(good.prefix(30)))
        #expect(reader.read() == first)
        try write("")
        #expect(reader.read() == first)
        try FileManager.default.removeItem(atPath: path)
        #expect(reader.read() == first)
        try write(#"{"shards_done": [0, 2, 3]}"#)
        #expect(reader.read() == AgentProgress(shardsDone: [0, 2, 3]))
    }

    @Test func heartbeatBodyUsesTheProtocolsFieldNames() throws {
        let exited = HeartbeatReport(
            status: .exited, exitCode: 0,
            progress: AgentProgress(shardsDone: [1], checkpoint: .init(uri: "s3://c", at: "2026-11-21T15:02:11Z")))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(exited)) as? [String: Any]
        #expect(object?["status"] as? String == "exited")
        #expect(object?["exit_code"] as? Int == 0)
        #expect(object?["shards_done"] as? [Int] == [1])
        #expect((object?["checkpoint"] as? [String: String])?["uri"] == "s3://c")
        let running = HeartbeatReport(status: .running, exitCode: nil, progress: AgentProgress())
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(running)) as? [String: Any]
        #expect(plain?.keys.sorted() == ["shards_done", "status"])
    }

    @Test func answerWithNullsDecodes() throws {
        let json = #"""
            {"node_id": "node_1", "job_id": "job_2", "rank": 1, "nnodes": 2, "gpus_per_node": 8, "master_addr": null,
             "master_port": 29500, "shards": [4], "checkpoint_uri": null, "resume_from": null, "commands": ["stop"]}
            """#
        let answer = try JSONDecoder().decode(HeartbeatAnswer.self, from: Data(json.utf8))
        #expect(
            answer
                == HeartbeatAnswer(
                    nodeID: "node_1", jobID: "job_2", rank: 1, nnodes: 2, gpusPerNode: 8, masterPort: 29500,
                    shards: [4], commands: ["stop"]))
    }

    @Test(arguments: [("USR1", SIGUSR1), ("SIGUSR2", SIGUSR2), ("term", SIGTERM), ("10", 10)])
    func signalNamesParse(_ text: String, _ signal: Int32) {
        #expect(SignalName.parse(text) == signal)
    }

    @Test(arguments: ["", "USR3", "0", "99", "SIG"])
    func unknownSignalNamesAreRejected(_ text: String) {
        #expect(SignalName.parse(text) == nil)
    }
}
