import Broker
import BrokerCore
import BrokerHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store

/// The daemon's router in process on a fresh database with two teams (`team_a`, `team_b`), for
/// the console's tests: log in with a token, then call pages with the session cookie.
struct ConsoleHarness {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let spec =
        #"{"name": "lora", "resources": {"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1}, "image": "img", "command": ["train"]}"#

    let database: BrokerDatabase
    let clock = ManualClock(now: start)
    let dependencies: APIDependencies

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var text: String
        var headers: HTTPFields
    }

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-console-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        let teams = SQLiteTeamRepository(database: database)
        try await DefaultTeam.ensure(in: teams, at: Self.start)
        for id in ["team_a", "team_b"] {
            _ = try await teams.create(TeamRecord(id: id, name: id, budget: nil, createdAt: Self.start))
        }
        dependencies = APIDependencies(store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: clock)
    }

    /// A new API token: an admin token, or a member token of `team`.
    func token(team: String? = nil) async throws -> APITokens.Issued {
        try await APITokens(tokens: SQLiteTokenRepository(database: database), clock: clock)
            .issue(name: "test", role: team == nil ? .admin : .member, team: team)
    }

    func call(
        _ method: HTTPRequest.Method, _ uri: String, session: String? = nil, bearer: String? = nil,
        form: String? = nil, json: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let session { headers[.cookie] = "gridbroker_session=\(session)" }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let request = headers
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(
                uri: uri, method: method, headers: request, body: (form ?? json).map { ByteBuffer(string: $0) }
            ) { response in
                Reply(status: response.status, text: String(buffer: response.body), headers: response.headers)
            }
        }
    }

    /// Logs in with `token`; returns the session cookie's value.
    func logIn(_ token: String) async throws -> String {
        let reply = try await call(.post, "/login", form: "token=\(token)")
        guard let cookie = reply.headers[.setCookie], let value = Self.cookieValue(cookie) else {
            throw Unexpected(reply: reply.text)
        }
        return value
    }

    /// Submits the test spec through the API with `token`; returns the job's id.
    func submit(bearer token: String) async throws -> String {
        let reply = try await call(.post, "/v1/jobs", bearer: token, json: Self.spec)
        let json = try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any]
        guard let id = json?["id"] as? String else { throw Unexpected(reply: reply.text) }
        return id
    }

    /// The CSRF token a page's forms carry.
    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: #"name="csrf" value=""#) else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    static func cookieValue(_ header: String) -> String? {
        guard let pair = header.split(separator: ";").first, pair.hasPrefix("gridbroker_session=") else { return nil }
        return String(pair.dropFirst("gridbroker_session=".count))
    }

    struct Unexpected: Error {
        var reply: String
    }
}
