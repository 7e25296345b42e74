import ArgumentParser
import BrokerHTTP
import CurlHTTP
import Foundation

/// How the CLI reaches the daemon: `--url` and `--token` (see ``CLISettings`` for the fallbacks),
/// and whether to print JSON.
struct APIOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The gridbroker API (default: $GRIDBROKER_URL, the CLI config file's url:, or \(CLISettings.defaultURL)).",
            valueName: "url"))
    var url: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The API token (default: $GRIDBROKER_TOKEN or the CLI config file's token:; the file is "
                + "$XDG_CONFIG_HOME/gridbroker/cli.yaml or ~/.config/gridbroker/cli.yaml).",
            valueName: "token"))
    var token: String?

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    /// A client of the daemon these options name.
    func client() throws -> APIClient {
        let settings = try CLISettings(url: url, token: token, environment: ProcessInfo.processInfo.environment)
        return APIClient(baseURL: settings.url, token: settings.token)
    }

    /// Prints `body` as it came (`--json`) or as the table `render` makes of it.
    func show<T: Decodable>(_ body: [UInt8], as type: T.Type, from client: APIClient, _ render: (T) -> String)
        throws
    {
        if json {
            print(String(decoding: body, as: UTF8.self))
        } else {
            print(render(try client.decode(T.self, from: body)))
        }
    }
}

/// A small JSON client of the gridbroker API for the CLI. Every failure becomes one line:
/// the daemon unreachable, or the API's problem document (status, detail, field errors).
struct APIClient {
    let baseURL: String
    /// Sent as `Authorization: Bearer`; never printed.
    var token: String?

    /// GETs `path` with `query` (nil values left out) and returns the body of a 2xx answer.
    func get(_ path: String, query: [(String, String?)] = []) async throws -> [UInt8] {
        try await send(.get, path, query: query)
    }

    /// POSTs a JSON `body` to `path`; never retried (a POST may not be safe to repeat).
    func post(
        _ path: String, query: [(String, String?)] = [], json body: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> [UInt8] {
        try await send(.post, path, query: query, body: body, extraHeaders: headers)
    }

    /// PUTs a JSON `body` to `path`.
    func put(_ path: String, json body: [UInt8]) async throws -> [UInt8] {
        try await send(.put, path, query: [], body: body)
    }

    /// DELETEs `path`.
    func delete(_ path: String) async throws -> [UInt8] {
        try await send(.delete, path, query: [])
    }

    /// A JSON object body from `members` (nil values are sent as null).
    static func body(_ members: [String: Any?]) -> [UInt8] {
        let object = members.mapValues { $0 ?? NSNull() }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(body))
        } catch {
            throw CommandFailure("the API at \(baseURL) answered something this CLI does not understand")
        }
    }

    private func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)], body: [UInt8]? = nil,
        extraHeaders: [(String, String)] = []
    ) async throws -> [UInt8] {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        let queryString = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        let client = CurlHTTPClient()
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let request = HTTPRequest(
            method: method, url: baseURL + path + queryString, headers: headers, body: body, timeout: .seconds(30),
            retry: method == .get ? .default : RetryPolicy.none)
        let outcome: Result<HTTPResponse, any Error>
        do {
            outcome = .success(try await client.execute(request))
        } catch {
            outcome = .failure(error)
        }
        await client.shutdown()
        let response: HTTPResponse
        switch outcome {
        case .success(let answer): response = answer
        case .failure(let error): throw CommandFailure("cannot reach gridbroker at \(baseURL): \(error)")
        }
        guard response.isSuccess else { throw CommandFailure(problem: response) }
        return response.body
    }
}

extension CommandFailure {
    /// One line from an API error: `HTTP 400: invalid query parameters (gpu: unknown …; limit: …)`.
    init(problem response: HTTPResponse) {
        guard let problem = try? JSONDecoder().decode(ProblemDetails.self, from: Data(response.body)) else {
            self.init("HTTP \(response.status)")
            return
        }
        var message = "HTTP \(problem.statusCode): \(problem.detail ?? problem.title)"
        if let errors = problem.errors, !errors.isEmpty {
            message += " (" + errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ") + ")"
        }
        if problem.statusCode == 401 {
            message += " (give --token, set GRIDBROKER_TOKEN, or put token: in the CLI config file)"
        }
        self.init(message)
    }
}
