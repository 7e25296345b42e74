import Hummingbird

/// What a provider responder needs from an HTTP request, independent of Hummingbird's types.
struct ProviderRequest: Sendable {
    var method: HTTPRequest.Method
    /// The decoded query string parameters, in order.
    var query: [(key: String, value: String)]
    var headers: HTTPFields
    var body: [UInt8]
    /// Whether the provider's fault plan refuses every launch (``FaultPlan/noCapacity``).
    var refusesLaunches = false

    /// The first query parameter named `name`.
    func queryValue(_ name: String) -> String? {
        query.first { $0.key == name }?.value
    }

    /// The first header named `name` (compared case-insensitively).
    func header(_ name: String) -> String? {
        let lowercased = name.lowercased()
        return headers.first { $0.name.canonicalName == lowercased }?.value
    }

    /// Whether the request carries an API key: `Authorization: Bearer <key>` (or HTTP basic with
    /// the key as user name), or a non-empty query parameter `queryName` when the API takes one.
    func hasAPIKey(queryName: String? = nil) -> Bool {
        if let queryName, let key = queryValue(queryName), !key.isEmpty { return true }
        guard let authorization = header("authorization") else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, !parts[1].trimmingPrefix(" ").isEmpty else { return false }
        let scheme = parts[0].lowercased()
        return scheme == "bearer" || scheme == "basic"
    }

    /// The body as a JSON object, or nil when it is not one.
    var jsonObject: [String: LooseJSON]? {
        LooseJSON.parse(body)?.objectValue
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
