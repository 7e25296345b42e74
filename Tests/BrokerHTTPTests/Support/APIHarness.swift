import Broker
import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Store
import Synchronization

@testable import BrokerHTTP

/// The API in process on a fresh database with two teams (`team_a`, `team_b`) and one provider,
/// its log captured at trace level: what the auth, isolation and admin suites call.
struct APIHarness {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let spec =
        #"{"name": "lora", "resources": {"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1}, "image": "img", "command": ["train"]}"#

    let database: BrokerDatabase
    let clock = ManualClock(now: start)
    let log = CapturedLog()
    var dependencies: APIDependencies
    let signals = Counter()

    /// One answer: status, body text, and the body as a JSON object when it is one.
    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var text: String
        var contentType: String?
        var bytes: [UInt8] = []
        var headers: HTTPFields = [:]

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
    }

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-auth-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        let teams = SQLiteTeamRepository(database: database)
        try await DefaultTeam.ensure(in: teams, at: Self.start)
        for id in ["team_a", "team_b"] {
            _ = try await teams.create(TeamRecord(id: id, name: id, budget: nil, createdAt: Self.start))
        }
        try await SQLiteProviderRepository(database: database).sync([
            ProviderRecord(
                id: "vast", kind: "vast", baseUrl: "http://x", enabled: true, pollIntervalS: 60, offerExpiryS: 300,
                createdAt: Self.start)
        ])
        let counter = signals
        dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: clock,
            fleet: FleetSignals(
                jobSubmitted: {}, jobEnded: { counter.value.add(1, ordering: .relaxed) },
                nodeReclaimed: { counter.value.add(1, ordering: .relaxed) }))
    }

    /// A new token's secret: an admin token, or a member token of `team`.
    func token(team: String? = nil, name: String = "test") async throws -> String {
        try await APITokens(tokens: SQLiteTokenRepository(database: database), clock: clock)
            .issue(name: name, role: team == nil ? .admin : .member, team: team).token
    }

    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> Reply {
        var logger = Logger(label: "api-test") { _ in log.handler() }
        logger.logLevel = .trace
        let app = Application(router: buildRouter(dependencies), logger: logger)
        let headers: HTTPFields = token.map(TestToken.headers) ?? [:]
        return try await app.test(.router) { client in
            try await client.execute(
                uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
            ) { response in
                Reply(
                    status: response.status, text: String(buffer: response.body),
                    contentType: response.headers[.contentType], bytes: Array(response.body.readableBytesView),
                    headers: response.headers)
            }
        }
    }

    /// Submits the test spec with `token`; returns the job's id.
    func submit(token: String, query: String = "") async throws -> String {
        let reply = try await call(.post, "/v1/jobs" + query, token: token, body: Self.spec)
        guard let id = reply.json["id"] as? String else { throw Unexpected(reply: reply.text) }
        return id
    }

    struct Unexpected: Error {
        var reply: String
    }
}

/// Every log line the API wrote, with its metadata.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler() -> some LogHandler { Handler(log: self) }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}
