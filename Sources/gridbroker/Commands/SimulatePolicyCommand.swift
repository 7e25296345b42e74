import ArgumentParser
import BrokerCore
import Foundation
import MarketSim

/// `gridbroker simulate-policy`: replays the spot policies over availability traces.
struct SimulatePolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-policy",
        abstract: "Replay the spot policies over spot availability traces and compare their cost.",
        discussion: """
            Every *.json trace in the folder ({"metadata": {"gap_seconds": N}, "data": [0, 1, ...]}) is
            replayed from --starts seeded start ticks, for each deadline and policy (restart overhead
            0.2 h, on-demand 3.06 $/h, spot 0.918 $/h). Start ticks leave room for the longest deadline
            when the trace is long enough; a run that reaches the end of its trace finishes on on-demand.
            The gridbroker policy of each start learns from the trace before that start only. With
            --nodes K, a K-node gang has spot only at ticks counting at least K instances.
            With --multi-zone PREFIX, the traces whose file names start with PREFIX (same tick) are also
            replayed as the zones of one market, for the multi-zone policies, from --starts start ticks
            drawn with the same seed.
            """)

    @Option(help: "The folder of trace files.") var traces: String
    @Option(help: "Hours of work the job needs.") var jobHours: String
    @Option(help: "Deadlines in hours after the start, comma-separated.") var deadlines: String
    @Option(help: "Start points per trace.") var starts = 300
    @Option(help: "The seed of the start points.") var seed: UInt64 = 1
    @Option(help: "Nodes in the job's gang: spot only where the trace counts at least this many instances.")
    var nodes = 1
    @Option(help: "Write one JSON line per run and policy, with its per-tick actions, to this file.")
    var json: String?
    @Option(help: "Also replay the traces whose file names start with this prefix as the zones of one market.")
    var multiZone: String?

    func run() async throws {
        let simulation = try CommandFailure.reporting { try settings() }
        let files = try CommandFailure.reporting { try traceFiles() }
        var generator = SplitMix64(seed: seed)
        let inputs = try files.map { file in
            let trace = try CommandFailure.reporting { try readTrace(file) }.gangs(of: nodes)
            return (
                name: file.deletingPathExtension().lastPathComponent, trace: trace,
                starts: simulation.starts(in: trace, count: starts, using: &generator)
            )
        }
        let market = try CommandFailure.reporting { try multiZoneMarket(inputs) }
        let marketStarts = market.map { market in
            var generator = SplitMix64(seed: seed)
            return simulation.starts(in: market.market.union, count: starts, using: &generator)
        }
        let records = await withTaskGroup(of: (Int, [SpotSimulationRecord]).self) { group in
            for (index, input) in inputs.enumerated() {
                group.addTask { (index, simulation.run(trace: input.trace, named: input.name, starts: input.starts)) }
            }
            if let market, let marketStarts {
                group.addTask {
                    (inputs.count, simulation.run(market: market.market, named: market.name, starts: marketStarts))
                }
            }
            var byTrace = [[SpotSimulationRecord]](repeating: [], count: inputs.count + 1)
            for await (index, records) in group { byTrace[index] = records }
            return byTrace
        }
        if let json {
            let text = records.joined().map(\.jsonLine).joined(separator: "\n") + "\n"
            try CommandFailure.reporting { try text.write(toFile: json, atomically: true, encoding: .utf8) }
        }
        let gang = nodes == 1 ? "" : ", gangs of \(nodes) nodes"
        print(
            report(
                SpotSimulationSummary(
                    Array(records.prefix(inputs.count).joined()), deadlines: simulation.deadlineSeconds,
                    policies: SpotPolicySimulation.policyNames),
                title: "\(inputs.count) traces × \(starts) starts, job \(jobHours) h\(gang)"))
        if let market {
            print(
                "\n"
                    + report(
                        SpotSimulationSummary(
                            records[inputs.count], deadlines: simulation.deadlineSeconds,
                            policies: SpotPolicySimulation.multiZonePolicyNames),
                        title: "multi-zone market \(market.name) × \(starts) starts, job \(jobHours) h\(gang)"))
        }
    }

    /// The market `--multi-zone` asks for, named after its prefix and zone count, or nil without it.
    private func multiZoneMarket(_ inputs: [(name: String, trace: SpotTrace, starts: [Int])]) throws -> (
        name: String, market: SpotMarket
    )? {
        guard let multiZone else { return nil }
        let zones = inputs.filter { $0.name.hasPrefix(multiZone) }
        guard let first = zones.first else {
            throw CommandFailure("--multi-zone: no trace file in \(traces) starts with '\(multiZone)'")
        }
        if let other = zones.first(where: { $0.trace.tickSeconds != first.trace.tickSeconds }) {
            throw CommandFailure(
                "--multi-zone: \(other.name) has \(other.trace.tickSeconds) s ticks, \(first.name) "
                    + "\(first.trace.tickSeconds) s: the zones of a market share one tick")
        }
        return ("\(multiZone) (\(zones.count) zones)", SpotMarket(zones: zones.map(\.trace)))
    }

    /// The simulation the arguments ask for, or a one-line reason they are wrong.
    private func settings() throws -> SpotPolicySimulation {
        guard let work = Self.seconds(ofHours: jobHours), work > 0 else {
            throw CommandFailure("--job-hours must be a positive number of hours, not '\(jobHours)'")
        }
        let overhead = SpotJob.paperRestartOverheadSeconds
        var deadlineSeconds: [Int64] = []
        for text in deadlines.split(separator: ",", omittingEmptySubsequences: false) {
            let item = text.trimmingCharacters(in: .whitespaces)
            guard let deadline = Self.seconds(ofHours: item), deadline > 0 else {
                throw CommandFailure("--deadlines must be positive hours separated by commas, not '\(deadlines)'")
            }
            guard deadline >= work + overhead else {
                throw CommandFailure(
                    "deadline \(item) h leaves no room for \(jobHours) h of work and one 0.2 h restart: "
                        + "deadlines must be at least the job's hours plus 0.2")
            }
            if !deadlineSeconds.contains(deadline) { deadlineSeconds.append(deadline) }
        }
        guard (1...100_000).contains(starts) else { throw CommandFailure("--starts must be 1...100000") }
        guard (1...10_000).contains(nodes) else { throw CommandFailure("--nodes must be 1...10000") }
        return SpotPolicySimulation(workSeconds: work, deadlineSeconds: deadlineSeconds)
    }

    /// `text` hours as whole seconds, or nil when it is not a plain finite number up to ten years.
    private static func seconds(ofHours text: String) -> Int64? {
        guard let hours = Double(text), hours.isFinite, text.allSatisfy({ $0.isNumber || $0 == "." }),
            hours <= 87_600
        else { return nil }
        return Int64((hours * 3600).rounded())
    }

    /// The trace files of the folder, sorted by name.
    private func traceFiles() throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: traces, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("--traces: no such folder: \(traces)")
        }
        let folder = URL(fileURLWithPath: traces)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else { throw CommandFailure("--traces: no *.json trace files in \(traces)") }
        return files
    }

    private func readTrace(_ file: URL) throws -> SpotTrace {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw CommandFailure("\(file.lastPathComponent): cannot be read")
        }
        return try SpotTrace(json: Array(data), source: file.lastPathComponent)
    }

    private func report(_ summary: SpotSimulationSummary, title: String) -> String {
        var table = TextTable([
            ("deadline h", .right), ("policy", .left), ("runs", .right), ("cost vs on-demand", .right),
            ("mean cost $", .right), ("missed", .right), ("mean finish h", .right),
        ])
        for row in summary.rows {
            table.append([
                Self.hours(Double(row.deadlineSeconds)), row.policy, String(row.runs),
                String(format: "%.3f", row.meanRelativeCost), row.meanCost.formatted().dropFirst().description,
                String(format: "%.1f%%", row.missedRate * 100), Self.hours(row.meanFinishSeconds),
            ])
        }
        return title + "\n" + table.rendered
    }

    private static func hours(_ seconds: Double) -> String {
        String(format: "%.1f", seconds / 3600)
    }
}
