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
            Set(first?.keys.map { $0 } ?? []) == ["policy", "trace", "start", "deadline", "cost", "finished_at_hours"])
        #expect(first?["trace"] as? String == "a")
    }
}
