import ArgumentParser
import CurlHTTP
import Foundation

/// `api`: the HTTP API under load as a user would see it. Starts the simulated market
/// (`gridbroker sim`; the default 60,000 provider records make about 100,000 offers) and the release daemon on a fresh database, its largest
/// provider (Vast) re-polled every `--repoll-seconds`, then runs `wrk` (Debian's) for
/// `--seconds`: searches, quotes and job lists at once over `--connections` kept-alive
/// connections in all (three quarters searching). Reports each kind's req/s and p50/p99/max, and
/// how many of Vast's polls landed during the run, and the daemon's CPU per request.
///
/// With `--replicas` above 1, that many daemons share one PostgreSQL database (`--postgres-url`;
/// scripts/bench starts a throwaway cluster): the searches are spread over them, one `wrk` each,
/// and their sum is reported too.
///
/// The bench's tokens get a high request rate (`server.rate_limit_per_s`): the limiter still
/// runs on every request, only its limit is out of the way.
struct ApiBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Searches, quotes and job lists against the release daemon while polls land.")

    @Option(help: "Provider records in the simulated market (Vast records give an on-demand and a spot offer).")
    var marketRecords = 60_000
    @Option(help: "Seconds of load.") var seconds = 20
    @Option(help: "Connections in all.") var connections = 32
    @Option(help: "Seconds between polls of the largest provider.") var repollSeconds = 5
    @Option(help: "Port of the simulated market.") var simPort = 19400
    @Option(help: "Port of the daemon.") var port = 18080
    @Option(help: "The market's seed.") var seed: UInt64 = 1
    @Option(
        help: "The kinds of request to send, comma-separated (search, quote, jobs): one alone shows its own ceiling.")
    var kinds = "search,quote,jobs"
    @Option(help: "Daemons sharing one PostgreSQL database (ports from --port up).") var replicas = 1
    @Option(help: "The PostgreSQL database the daemons use (postgres://…); SQLite when not given.")
    var postgresURL: String?

    /// A job the quotes ask about, and that the job lists show (submitted with a price cap no offer meets).
    static let spec =
        #"{"name": "bench", "resources": {"gpu": ["H100", "A100-80GB"], "gpus_per_node": 8, "nodes": 2}, "#
        + #""market": "spot", "work": {"gpu_hours": 256, "reference_gpu": "A100-80GB"}, "#
        + #""image": "img", "command": ["train"]}"#

    func run() async throws {
        guard replicas >= 1, replicas == 1 || postgresURL != nil else {
            throw BenchError("--replicas \(replicas): several daemons need --postgres-url (one database to share)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-bench-api-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let gridbroker = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("gridbroker").path
        var environment = [
            "SIMULATED_MARKET_API_KEY": "simulated-market", "GRIDBROKER_SERVER_PORT": "\(port)",
            "GRIDBROKER_LOG_LEVEL": "warning", "GRIDBROKER_SERVER_RATE_LIMIT_PER_S": "100000",
            "GRIDBROKER_SERVER_RATE_LIMIT_BURST": "100000",
            "GRIDBROKER_PROVIDERS_0_POLL_INTERVAL_S": "\(repollSeconds)",
        ]
        if let postgresURL {
            let schema = "bench_api_" + UUID().uuidString.prefix(8).lowercased()
            environment["GRIDBROKER_DATABASE_URL"] =
                postgresURL + (postgresURL.contains("?") ? "&" : "?") + "schema=\(schema)"
        }
        for (index, kind) in ["vast", "runpod", "lambda", "aws", "shadeform"].enumerated() {
            environment["GRIDBROKER_PROVIDERS_\(index)_BASE_URL"] =
                "http://127.0.0.1:\(simPort)/\(kind)" + (kind == "aws" ? "/{region}" : "")
        }
        let sim = try ChildProcess(
            "sim", executable: gridbroker,
            arguments: ["sim", "--port", "\(simPort)", "--offers", "\(marketRecords)", "--seed", "\(seed)"],
            directory: folder,
            log: folder.appendingPathComponent("sim.log"))
        defer { sim.stop() }
        let bootstrap = try ChildProcess(
            "bootstrap", executable: gridbroker, arguments: ["admin", "bootstrap", "--name", "bench"],
            directory: folder, environment: environment, log: folder.appendingPathComponent("bootstrap.log"))
        let admin = bootstrap.waitForOutput().trimmingCharacters(in: .whitespacesAndNewlines)
        guard admin.hasPrefix("gbt_") else { throw BenchError("admin bootstrap failed: see \(folder.path)") }
        let daemons = try (0..<replicas).map { index in
            try ChildProcess(
                "daemon \(index)", executable: gridbroker, arguments: ["serve"], directory: folder,
                environment: environment.merging(["GRIDBROKER_SERVER_PORT": "\(port + index)"]) { $1 },
                log: folder.appendingPathComponent("daemon-\(index).log"))
        }
        defer { for daemon in daemons { daemon.stop() } }

        let apis = (0..<replicas).map { BenchAPI(baseURL: "http://127.0.0.1:\(port + $0)", admin: admin) }
        let api = apis[0]
        var loaded = 0
        for (replica, daemon) in zip(apis, daemons) {
            loaded = try await replica.waitForMarket(providers: 5, isRunning: { daemon.isRunning })
        }
        let member = try await api.memberToken()
        for index in 0..<20 {
            try await api.submit(
                Self.spec.replacingOccurrences(of: #""market": "spot""#, with: #""max_price_per_hour": 0.01"#),
                token: member, key: "bench-\(index)")
        }

        let searchConnections = connections * 3 / 4
        let others = max(1, (connections - searchConnections) / 2)
        let every = [
            LoadRun(
                kind: "search", connections: searchConnections,
                paths: [
                    "/v1/offers?gpu=H100&min_gpus=8&limit=50", "/v1/offers?gpu=A100&market=spot&limit=20",
                    "/v1/offers?country=DE&limit=50", "/v1/offers?sort=price_per_gpu&min_gpus=4&limit=100",
                    "/v1/offers?gpu=RTX-4090&max_price=2&limit=5",
                ]),
            LoadRun(kind: "quote", connections: others, paths: ["/v1/quotes"], method: "POST", body: Self.spec),
            LoadRun(kind: "jobs", connections: others, paths: ["/v1/jobs?limit=1", "/v1/jobs?limit=20"]),
        ]
        let chosen = Set(kinds.split(separator: ",").map { String($0) })
        guard !chosen.isEmpty, chosen.isSubset(of: every.map(\.kind)) else {
            throw BenchError("--kinds takes search, quote and jobs, comma-separated; not '\(kinds)'")
        }
        // Each run with the replica it loads: the searches spread over every replica.
        let runs = every.filter { chosen.contains($0.kind) }.flatMap { run -> [(LoadRun, BenchAPI)] in
            guard run.kind == "search", replicas > 1 else { return [(run, api)] }
            return apis.enumerated().map { index, replica in
                var share = run
                share.kind = "search_replica_\(index)"
                share.connections = max(1, run.connections / replicas)
                return (share, replica)
            }
        }
        let pollsBefore = try await Self.polls(apis)
        let cpuBefore = Self.cpuSeconds(daemons)
        let processes = try runs.map { run, replica in
            try run.start(baseURL: replica.baseURL, token: member, seconds: seconds, folder: folder)
        }
        try await Task.sleep(for: .seconds(seconds / 2))
        let limits = try await api.probeLimits(token: member)
        let outputs = processes.map { $0.waitForOutput() }
        let cpuAfter = Self.cpuSeconds(daemons)
        let pollsDuring = try await Self.polls(apis) - pollsBefore
        for replica in apis { await replica.shutdown() }
        var fields: [(String, JSONLine.Value)] = [
            ("benchmark", .string("api")), ("offers", .int(loaded)), ("seconds", .int(seconds)),
            ("replicas", .int(replicas)), ("database", .string(postgresURL == nil ? "sqlite" : "postgres")),
            ("connections", .int(runs.map(\.0.connections).reduce(0, +))), ("repoll_seconds", .int(repollSeconds)),
            ("polls_landed_during_load", .int(pollsDuring)),
            ("limits_held_under_load", .object(JSONLine(limits.map { ($0, .bool($1)) }))),
        ]
        var requests = 0
        var searchesPerSecond = 0.0
        for ((run, _), output) in zip(runs, outputs) {
            let result = try LoadRun.result(kind: run.kind, output: output)
            requests += result.requests
            if run.kind.hasPrefix("search") { searchesPerSecond += result.requestsPerSecond }
            fields.append((run.kind, .object(result.figures)))
        }
        if replicas > 1 { fields.append(("search_requests_per_s_all_replicas", .number(searchesPerSecond))) }
        if let cpuBefore, let cpuAfter, requests > 0 {
            // What a request costs the daemon, polls included: steadier than req/s on a shared machine.
            fields += [
                ("daemon_cpu_seconds", .number(cpuAfter - cpuBefore)),
                ("daemon_cpu_ms_per_request", .number((cpuAfter - cpuBefore) * 1000 / Double(requests))),
            ]
        }
        print(JSONLine(fields).text)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Vast's polls by every replica (one at a time holds its lease).
    private static func polls(_ apis: [BenchAPI]) async throws -> Int {
        var total = 0
        for api in apis { total += try await api.polls(provider: "vast") }
        return total
    }

    /// The daemons' CPU time together; nil when one cannot be read.
    private static func cpuSeconds(_ daemons: [ChildProcess]) -> Double? {
        let each = daemons.map(\.cpuSeconds)
        return each.contains { $0 == nil } ? nil : each.compactMap { $0 }.reduce(0, +)
    }
}
