import CurlHTTP
import Foundation
import Providers
import Synchronization

/// An ``HTTPTransport`` double: answers each request with the next canned response (or error) and
/// records every request it got, in order.
///
/// When the canned answers run out, the last one is repeated; with none at all it answers 404.
final class RecordedTransport: HTTPTransport, Sendable {
    /// One canned answer: a response, or an error `execute` throws.
    enum Reply: Sendable {
        case response(HTTPResponse)
        case failure(any Error & Sendable)
    }

    private struct State {
        var replies: [Reply]
        var requests: [HTTPRequest] = []
    }

    private let state: Mutex<State>

    /// A transport that answers with `replies`, in order.
    init(replies: [Reply]) {
        state = Mutex(State(replies: replies))
    }

    /// A transport that answers every request with `response`.
    convenience init(_ response: HTTPResponse) {
        self.init(replies: [.response(response)])
    }

    /// A transport that answers every request with `status`, `headers` and `body`.
    convenience init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8]) {
        self.init(HTTPResponse(status: status, headers: headers, body: body))
    }

    /// A transport that answers every request with `status`, `headers` and `body` as UTF-8.
    convenience init(status: Int = 200, headers: HTTPHeaders = [:], body: String) {
        self.init(status: status, headers: headers, body: Array(body.utf8))
    }

    /// A transport whose every request fails with `error`.
    convenience init(failing error: any Error & Sendable) {
        self.init(replies: [.failure(error)])
    }

    /// Every request received so far, oldest first.
    var requests: [HTTPRequest] {
        state.withLock { $0.requests }
    }

    /// The last request received, if any.
    var lastRequest: HTTPRequest? {
        state.withLock { $0.requests.last }
    }

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let reply: Reply? = state.withLock { state in
            state.requests.append(request)
            guard let first = state.replies.first else { return nil }
            if state.replies.count > 1 { state.replies.removeFirst() }
            return first
        }
        switch reply {
        case .response(let response)?:
            return response
        case .failure(let error)?:
            throw error
        case nil:
            return HTTPResponse(status: 404, body: Array("no canned response".utf8))
        }
    }
}

extension HTTPRequest {
    /// The body decoded as UTF-8, or `nil` when there is none.
    var bodyString: String? {
        body.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The body parsed as a JSON object, or `nil` when there is none or it is not an object.
    var jsonBody: [String: Any]? {
        guard let body else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// The URL's path, without query.
    var path: String? {
        URLComponents(string: url)?.path
    }

    /// The URL's query items by name (the first of each name).
    var queryItems: [String: String] {
        var items: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] where items[item.name] == nil {
            items[item.name] = item.value ?? ""
        }
        return items
    }

    /// The fields of a form-encoded body (`application/x-www-form-urlencoded`), first of each name.
    var formItems: [String: String] {
        var components = URLComponents()
        components.percentEncodedQuery = bodyString?.replacingOccurrences(of: "+", with: "%20")
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] where items[item.name] == nil { items[item.name] = item.value ?? "" }
        return items
    }
}
