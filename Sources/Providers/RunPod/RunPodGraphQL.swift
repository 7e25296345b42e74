import CurlHTTP
import Foundation

/// RunPod's GraphQL endpoint as the pricing source and the provisioner use it: `POST
/// {base}/graphql` with `Authorization: Bearer <key>` and `{"query": ...}` (every argument inlined,
/// as RunPod's own SDK sends it); errors come as HTTP 200 with `{"errors": [{"message": ...}], "data": null}`.
///
/// The key travels in a header, never in the URL (where proxies and access logs keep it); every
/// error leaving an adapter still goes through ``redacted(_:apiKey:)``, should RunPod echo it.
enum RunPodGraphQL {
    /// A `POST` of `query`, with the key in `Authorization` when one is set.
    static func request(baseURL: String, apiKey: String?, query: String) -> HTTPRequest {
        var headers = ProviderJSON.headers(hasBody: true)
        if let key = ProviderJSON.usableKey(apiKey) { headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body = (try? JSONEncoder().encode(["query": query])).map { [UInt8]($0) }
        return HTTPRequest(method: .post, url: "\(baseURL)/graphql", headers: headers, body: body)
    }

    /// The `data` of an answer, decoded as `Payload`.
    ///
    /// - Throws: ``ProviderError/api(code:message:)`` for an `errors` answer;
    ///   ``ProviderError/malformed(_:)`` when the body is not JSON or has no `data`.
    static func data<Payload: Decodable>(_ type: Payload.Type, from body: [UInt8]) throws(ProviderError) -> Payload {
        let answer = try ProviderJSON.decode(RunPodAnswer<Payload>.self, from: body)
        if let error = answer.errors.error { throw error }
        guard let data = answer.data else { throw .malformed("missing 'data'") }
        return data
    }

    /// `error` with every trace of the API key (as is and percent-encoded) removed.
    static func redacted(_ error: ProviderError, apiKey: String?) -> ProviderError {
        guard let key = ProviderJSON.usableKey(apiKey) else { return error }
        return error.redacting([key, percentEncoded(key)])
    }

    /// `text` as a GraphQL string literal (JSON's escaping is GraphQL's).
    static func literal(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let encoded = (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) }
        return encoded ?? "\"\""
    }

    private static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// `{"data": {...}}` or `{"errors": [...], "data": null}`.
private struct RunPodAnswer<Payload: Decodable>: Decodable {
    var data: Payload?
    var errors: RunPodErrors

    private enum CodingKeys: String, CodingKey {
        case data
    }

    init(from decoder: any Decoder) throws {
        errors = try RunPodErrors(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = errors.error == nil ? try container.decodeIfPresent(Payload.self, forKey: .data) : nil
    }
}

/// The `errors` of a GraphQL answer: `[{"message": "...", "extensions": {"code": "..."}}]`.
struct RunPodErrors: ProviderErrorEnvelope {
    var messages: [String] = []
    var code: String?

    private enum CodingKeys: String, CodingKey {
        case errors
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.errors), (try? container.decodeNil(forKey: .errors)) == false,
            var list = try? container.nestedUnkeyedContainer(forKey: .errors)
        else { return }
        while !list.isAtEnd {
            guard let item = try? list.nestedContainer(keyedBy: JSONKey.self) else {
                _ = try? list.decode(IgnoredValue.self)
                continue
            }
            messages.append(item.lenientString(JSONKey("message")) ?? "unknown error")
            if code == nil { code = item.lenientObject(JSONKey("extensions"))?.lenientString(JSONKey("code")) }
        }
    }

    var error: ProviderError? {
        messages.isEmpty ? nil : .api(code: code, message: messages.joined(separator: "; "))
    }
}

/// Any JSON value, decoded and dropped.
private struct IgnoredValue: Decodable {
    init(from decoder: any Decoder) throws {}
}
