import Foundation
import Hummingbird

/// An API error as `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`
/// and, for validation, `errors: [{field, message}]`.
public struct ProblemDetails: HTTPResponseError, Codable, Equatable {
    /// One invalid input field.
    public struct FieldError: Codable, Equatable, Sendable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    public var errors: [FieldError]?
    /// Sent as `Retry-After` (a 429, a 503), not in the body.
    public var retryAfterSeconds: Int? = nil

    public init(status: HTTPResponse.Status, detail: String? = nil, errors: [FieldError]? = nil) {
        self.type = "about:blank"
        self.title = status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
    }

    public var status: HTTPResponse.Status { .init(code: statusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(self)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    enum CodingKeys: String, CodingKey {
        case type, title, detail, errors
        case statusCode = "status"
    }
}
