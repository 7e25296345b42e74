/// A complete HTTP response.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code, for example `200`.
    public var status: Int
    /// The response header fields of the final response (interim `1xx` responses are dropped).
    public var headers: HTTPHeaders
    /// The body, already decoded if the server used a `Content-Encoding` such as gzip.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header field called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers[name]
    }

    /// Whether the status is in `200..<300`.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8 (invalid sequences are repaired).
    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}
