import CurlHTTP

/// How adapters reach a provider: one request in, one response out. The daemon uses
/// ``CurlHTTP/CurlHTTPClient``; tests stand in recorded answers.
public protocol HTTPTransport: Sendable {
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse
}

extension CurlHTTPClient: HTTPTransport {}
