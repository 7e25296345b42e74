import ArgumentParser
import BrokerHTTP
import CurlHTTP
import Foundation

/// Where the CLI finds the daemon: `--url`, else `GRIDBROKER_URL`, else the default address.
struct APIOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The gridbroker API (default: $GRIDBROKER_URL or http://127.0.0.1:8080).", valueName: "url"))
    var url: String?

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    var baseURL: String {
        let url = url ?? ProcessInfo.processInfo.environment["GRIDBROKER_URL"] ?? "http://127.0.0.1:8080"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// A small JSON client of the gridbroker API for the CLI. Every failure becomes one line:
/// the daemon unreachable, or the API's problem document (status, detail, field errors).
struct APIClient {
    let baseURL: String

    /// GETs `path` with `query` (nil values left out) and returns the body of a 2xx answer.
    func get(_ path: String, query: [(String, String?)] = []) async throws -> [UInt8] {
        try await send(.get, path, query: query)
    }

    /// POSTs a JSON `body` to `path`; never retried (a POST may not be safe to repeat).
    func post(_ path: String, json body: [UInt8]? = nil, headers: [(String, String)] = []) async throws -> [UInt8] {
        try await send(.post, path, query: [], body: body, extraHeaders: headers)
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
        self.init(message)
    }
}
