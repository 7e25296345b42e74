import CurlHTTP
import Foundation

/// The few calls the API benchmark makes before the load: waiting for the market, a team and its
/// token, jobs to list, the poll counters.
struct BenchAPI: Sendable {
    let baseURL: String
    let admin: String
    private let client = CurlHTTPClient()

    init(baseURL: String, admin: String) {
        self.baseURL = baseURL
        self.admin = admin
    }

    func shutdown() async { await client.shutdown() }

    /// Waits until `providers` providers have offers in the book (each polled once); returns how
    /// many offers it holds.
    func waitForMarket(providers: Int, isRunning: () -> Bool) async throws -> Int {
        for _ in 0..<600 {
            guard isRunning() else { throw BenchError("the daemon stopped: see its log") }
            if let listed = try? await json("GET", "/v1/admin/providers", token: admin)["providers"] as? [[String: Any]]
            {
                let counts = listed.compactMap { $0["offers"] as? Int }
                if counts.filter({ $0 > 0 }).count >= providers { return counts.reduce(0, +) }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw BenchError("the market did not load in 5 minutes")
    }

    /// A member token of a new team.
    func memberToken() async throws -> String {
        let team = try await json("POST", "/v1/admin/teams", token: admin, body: #"{"name": "bench"}"#)
        guard let id = team["id"] as? String else { throw BenchError("no team: \(team)") }
        let token = try await json(
            "POST", "/v1/admin/tokens", token: admin, body: #"{"name": "bench", "team": "\#(id)"}"#)
        guard let secret = token["token"] as? String else { throw BenchError("no token issued") }
        return secret
    }

    func submit(_ spec: String, token: String, key: String) async throws {
        _ = try await json("POST", "/v1/jobs", token: token, body: spec, headers: ["Idempotency-Key": key])
    }

    /// Requests the API must still refuse under load, each with the status it must get: a body
    /// over the limit, a bad parameter, no token.
    func probeLimits(token: String) async throws -> [(String, Bool)] {
        let oversized = HTTPRequest(
            method: .post, url: baseURL + "/v1/quotes",
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
            body: Array(repeating: UInt8(ascii: " "), count: 2 << 20), retry: .none)
        let badQuery = HTTPRequest(
            url: baseURL + "/v1/offers?min_gpus=0", headers: ["Authorization": "Bearer \(token)"], retry: .none)
        let noToken = HTTPRequest(url: baseURL + "/v1/offers", retry: .none)
        return [
            ("body_over_limit_413", try await client.execute(oversized).status == 413),
            ("bad_parameter_400", try await client.execute(badQuery).status == 400),
            ("no_token_401", try await client.execute(noToken).status == 401),
        ]
    }

    /// `gridbroker_polls_total` of `provider`, from `/metrics`.
    func polls(provider: String) async throws -> Int {
        let response = try await client.execute(HTTPRequest(url: baseURL + "/metrics"))
        let text = String(decoding: response.body, as: UTF8.self)
        return text.split(separator: "\n").filter {
            $0.hasPrefix("gridbroker_polls_total") && $0.contains("\"\(provider)\"")
        }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.map { Int($0) }.reduce(0, +)
    }

    private func json(
        _ method: String, _ path: String, token: String, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> [String: Any] {
        var request = HTTPRequest(
            method: HTTPMethod(rawValue: method), url: baseURL + path, body: body.map { Array($0.utf8) },
            retry: .none)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request)
        guard (200..<300).contains(response.status),
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        else {
            throw BenchError("\(method) \(path): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return object
    }
}
