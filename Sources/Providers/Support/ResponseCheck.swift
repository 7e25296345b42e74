import CurlHTTP

extension HTTPResponse {
    /// Maps a non-success answer to the ``ProviderError`` the poller acts on; returns the body of
    /// a 2xx answer.
    ///
    /// The snippet kept from an error body is short and single-line: enough to recognize the
    /// provider's message, not enough to flood a log.
    public func successBody() throws(ProviderError) -> [UInt8] {
        switch status {
        case 200..<300:
            return body
        case 429:
            throw .rateLimited(retryAfterSeconds: header("Retry-After").flatMap { Int($0) })
        case 401, 403:
            throw .unauthorized(status: status)
        default:
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            throw .http(status: status, snippet: text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
    }
}

extension HTTPTransport {
    /// Executes `request`, turning transport failures into ``ProviderError/transport(_:)``.
    public func send(_ request: HTTPRequest) async throws(ProviderError) -> HTTPResponse {
        do {
            return try await execute(request)
        } catch let error as ProviderError {
            throw error
        } catch {
            throw .transport("\(error)")
        }
    }
}
