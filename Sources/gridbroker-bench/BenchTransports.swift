import CurlHTTP
import Providers
import Synchronization

/// Passes requests to libcurl and keeps every answer, so they can be replayed without the network.
final class RecordingTransport: HTTPTransport {
    private let client: CurlHTTPClient
    private let recorded = Mutex<[String: [HTTPResponse]]>([:])

    init(_ client: CurlHTTPClient) {
        self.client = client
    }

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await client.execute(request)
        recorded.withLock { $0[Self.key(request), default: []].append(response) }
        return response
    }

    var answers: [String: [HTTPResponse]] { recorded.withLock { $0 } }

    /// Bytes of provider answers received.
    var bytes: Int { recorded.withLock { $0.values.joined().map(\.body.count).reduce(0, +) } }

    /// Method and URL without its query: signed requests carry the time in the query.
    static func key(_ request: HTTPRequest) -> String {
        "\(request.method.rawValue) \(request.url.split(separator: "?", maxSplits: 1).first ?? "")"
    }
}

/// Answers requests with the recorded answers to the same method and path, in recorded order.
final class ReplayTransport: HTTPTransport {
    private let answers: Mutex<[String: [HTTPResponse]]>

    init(_ answers: [String: [HTTPResponse]]) {
        self.answers = Mutex(answers)
    }

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = RecordingTransport.key(request)
        let answer = answers.withLock { answers -> HTTPResponse? in
            guard var queue = answers[key], !queue.isEmpty else { return nil }
            let answer = queue.removeFirst()
            answers[key] = queue
            return answer
        }
        guard let answer else { throw CurlHTTPError.invalidRequest("no recorded answer for \(key)") }
        return answer
    }
}
