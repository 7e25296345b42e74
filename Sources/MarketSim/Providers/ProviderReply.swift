import Hummingbird

/// A provider's answer before faults are applied: a status, a content type and the body bytes.
struct ProviderReply: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var body: [UInt8]
    /// Seconds for a `Retry-After` header.
    var retryAfter: Int? = nil

    /// `application/json` exactly: the vast CLI rejects anything else (even with a charset).
    static func json(_ status: HTTPResponse.Status = .ok, _ writer: JSONWriter) -> ProviderReply {
        ProviderReply(status: status, contentType: "application/json", body: writer.bytes)
    }

    static func json(_ status: HTTPResponse.Status = .ok, text: String) -> ProviderReply {
        ProviderReply(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    static func xml(_ status: HTTPResponse.Status = .ok, text: String) -> ProviderReply {
        ProviderReply(status: status, contentType: "text/xml;charset=UTF-8", body: Array(text.utf8))
    }
}
