import Foundation
import Testing

/// `gridbroker simulate-policy` as a process: argument checks and a small run.
@Suite("gridbroker simulate-policy")
struct SimulatePolicyCommandTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-policy-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func writeTrace(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs the command until it exits and its output shows `expected` (output can trail the exit).
    private func run(_ arguments: [String], expecting expected: String) async throws -> (status: Int32, log: String) {
        let process = try GridbrokerProcess(["simulate-policy"] + arguments, in: folder)
        let status = try await process.waitForExit(timeout: .seconds(60))
        _ = try await process.waitForLog(NSRegularExpression.escapedPattern(for: expected), timeout: .seconds(10))
        return (status, process.log)
    }

    @Test(arguments: [
        (["--traces", "missing", "--job-hours", "4", "--deadlines", "5"], "no such folder"),
        (["--traces", ".", "--job-hours", "4", "--deadlines", "5"], "no *.json trace files"),
        (["--traces", "t", "--job-hours", "four", "--deadlines", "5"], "--job-hours must be a positive number"),
        (["--traces", "t", "--job-hours=-4", "--deadlines", "5"], "--job-hours must be a positive number"),
        (["--traces", "t", "--job-hours", "4", "--deadlines", "5,x"], "--deadlines must be positive hours"),
        (["--traces", "t", "--job-hours", "4", "--deadlines", "5,,6"], "--deadlines must be positive hours"),
        (["--traces", "t", "--job-hours", "4", "--deadlines", "3"], "deadline 3 h leaves no room"),
        (["--traces", "t", "--job-hours", "4", "--deadlines", "5", "--starts", "0"], "--starts must be"),
        (["--traces", "t", "--job-hours", "4", "--deadlines", "5", "--nodes", "0"], "--nodes must be"),
    ])
    func rejectsBadArgumentsWithOneLine(arguments: [String], message: String) async throws {
        let (status, log) = try await run(arguments, expecting: message)
        #expect(status != 0)
        #expect(log.contains(message), "\(log)")
        #expect(log.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(log)")
    }

    @Test func namesABrokenTraceFile() async throws {
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("t"), withIntermediateDirectories: true)
        try writeTrace("t/good.json", #"{"metadata": {"gap_seconds": 600}, "data": [1, 1, 0]}"#)
        try writeTrace("t/broken.json", #"{"metadata": {"gap_seconds": 600}}"#)
        let message = "broken.json: missing field 'data'"
        let (status, log) = try await run(
            ["--traces", "t", "--job-hours", "4", "--deadlines", "5"], expecting: message)
        #expect(status != 0)
        #expect(log.contains(message), "\(log)")
    }

    @Test func replaysEveryTraceAndWritesJSONLines() async throws {
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("t"), withIntermediateDirectories: true)
        let pattern = (0..<200).map { $0 % 9 < 6 ? "1" : "0" }.joined(separator: ", ")
        try writeTrace("t/a.json", #"{"metadata": {"gap_seconds": 600}, "data": [\#(pattern)]}"#)
        try writeTrace("t/b.json", #"{"metadata": {"gap_seconds": 195}, "data": [\#(pattern)]}"#)
        let (status, log) = try await run(
            [
                "--traces", "t", "--job-hours", "4", "--deadlines", "5,8", "--starts", "3", "--json", "runs.jsonl",
            ], expecting: "omniscient")
        #expect(status == 0, "\(log)")
        for policy in ["on-demand-only", "uniform-progress", "gridbroker", "omniscient"] {
            #expect(log.contains(policy))
        }
        let lines = try String(contentsOf: folder.appendingPathComponent("runs.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 2 * 3 * 2 * 4)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(
            Set(first?.keys.map { $0 } ?? [])
                == ["policy", "trace", "start", "deadline", "cost", "finished_at_hours", "actions"])
        #expect(first?["trace"] as? String == "a")
        // One letter per 600 s tick up to the finish, the last tick a partial one.
        let actions = first?["actions"] as? String ?? ""
        let finish = first?["finished_at_hours"] as? Double ?? 0
        #expect(actions.count == Int((finish * 3600 / 600 - 1e-6).rounded(.up)))
        #expect(!actions.isEmpty && actions.allSatisfy { "IOS".contains($0) })
    }

    @Test func aGangHasSpotOnlyWhereEnoughInstancesAre() async throws {
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("t"), withIntermediateDirectories: true)
        // Two instances whenever there is spot at all.
        let pattern = (0..<200).map { $0 % 9 < 6 ? "2" : "0" }.joined(separator: ", ")
        try writeTrace("t/a.json", #"{"metadata": {"gap_seconds": 600}, "data": [\#(pattern)]}"#)
        func actions(nodes: Int) async throws -> [String] {
            let (status, log) = try await run(
                [
                    "--traces", "t", "--job-hours", "4", "--deadlines", "8", "--starts", "3", "--nodes", String(nodes),
                    "--json", "runs-\(nodes).jsonl",
                ], expecting: "omniscient")
            #expect(status == 0, "\(log)")
            return try String(contentsOf: folder.appendingPathComponent("runs-\(nodes).jsonl"), encoding: .utf8)
                .split(separator: "\n").compactMap {
                    (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["actions"] as? String
                }
        }
        #expect(try await actions(nodes: 2).contains { $0.contains("S") })
        #expect(try await actions(nodes: 3).allSatisfy { !$0.contains("S") })
    }
}
