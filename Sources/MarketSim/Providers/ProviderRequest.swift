import Hummingbird

/// What a provider responder needs from an HTTP request, independent of Hummingbird's types.
struct ProviderRequest: Sendable {
    var method: HTTPRequest.Method
    /// The decoded query string parameters, in order.
    var query: [(key: String, value: String)]
    var headers: HTTPFields
    var body: [UInt8]

    /// The first query parameter named `name`.
    func queryValue(_ name: String) -> String? {
        query.first { $0.key == name }?.value
    }

    /// The first header named `name` (compared case-insensitively).
    func header(_ name: String) -> String? {
        let lowercased = name.lowercased()
        return headers.first { $0.name.canonicalName == lowercased }?.value
    }

    /// The parameters of an `application/x-www-form-urlencoded` request: the query string's, then the
    /// body's, for APIs like EC2 that accept both.
    func formParameters() -> [(key: String, value: String)] {
        var parameters = query
        if !body.isEmpty {
            parameters += FormDecoding.pairs(String(decoding: body, as: UTF8.self))
        }
        return parameters
    }
}
