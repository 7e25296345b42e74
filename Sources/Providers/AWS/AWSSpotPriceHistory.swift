import CurlHTTP

/// One page of a `DescribeSpotPriceHistory` answer.
struct AWSSpotPricePage: Equatable {
    /// One `<item>` of `<spotPriceHistorySet>`, fields as text (nil when the element is missing).
    struct Item: Equatable {
        var instanceType: String?
        var productDescription: String?
        var spotPrice: String?
        var timestamp: String?
        var availabilityZone: String?
    }

    var items: [Item]
    /// The token for the next page; nil (or empty in the XML) on the last one.
    var nextToken: String?
}

/// Reads EC2 Query API answers: their root element, spot price pages and the `<Response><Errors>`
/// envelope.
enum AWSQueryResponse {
    /// The error codes EC2 uses for "slow down".
    static let throttlingCodes: Set<String> = [
        "RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottled",
        "RequestThrottledException", "TooManyRequestsException", "SlowDown",
    ]

    /// Decodes a `DescribeSpotPriceHistory` answer of any status: the page of a 2xx answer, or the
    /// ``ProviderError`` an error answer stands for.
    static func spotPricePage(from response: HTTPResponse) throws(ProviderError) -> AWSSpotPricePage {
        let root = try root(of: response, expecting: "DescribeSpotPriceHistoryResponse")
        guard let set = root.child("spotPriceHistorySet") else {
            throw .malformed("<DescribeSpotPriceHistoryResponse> has no <spotPriceHistorySet>")
        }
        let items = set.children(named: "item").map { item in
            AWSSpotPricePage.Item(
                instanceType: item.childText("instanceType"),
                productDescription: item.childText("productDescription"),
                spotPrice: item.childText("spotPrice"),
                timestamp: item.childText("timestamp"),
                availabilityZone: item.childText("availabilityZone"))
        }
        let token = root.childText("nextToken")
        return AWSSpotPricePage(items: items, nextToken: token?.isEmpty == false ? token : nil)
    }

    /// The root element of a 2xx answer, checked to be called `name`; the ``ProviderError`` of an
    /// error answer (see ``error(from:)``), also when it comes with a 2xx status.
    static func root(of response: HTTPResponse, expecting name: String) throws(ProviderError) -> AWSXMLElement {
        guard response.isSuccess else { throw error(from: response) }
        let root = try parse(response.body)
        if let envelope = errorEnvelope(root) {
            throw classify(envelope, status: response.status, retryAfter: response.header("Retry-After"))
        }
        guard root.name == name else { throw .malformed("expected <\(name)>, got <\(root.name)>") }
        return root
    }

    /// The error a non-2xx answer stands for: its `<Errors>` envelope when it has one (throttling
    /// codes and 429 as ``ProviderError/rateLimited(retryAfterSeconds:)``, others as
    /// ``ProviderError/api(code:message:)``), otherwise the generic status mapping.
    static func error(from response: HTTPResponse) -> ProviderError {
        if let root = try? AWSXMLParser.parse(response.body), let envelope = errorEnvelope(root) {
            return classify(envelope, status: response.status, retryAfter: response.header("Retry-After"))
        }
        do {
            _ = try response.successBody()
            return .http(status: response.status, snippet: "")
        } catch {
            return error
        }
    }

    static func parse(_ body: [UInt8]) throws(ProviderError) -> AWSXMLElement {
        do {
            return try AWSXMLParser.parse(body)
        } catch {
            throw .malformed("not well-formed XML: \(error)")
        }
    }

    /// The first `<Error>`'s code and message of a `<Response><Errors>` envelope.
    static func errorEnvelope(_ root: AWSXMLElement) -> (code: String?, message: String)? {
        guard root.name == "Response" || root.name == "ErrorResponse",
            let error = root.child("Errors")?.child("Error") ?? root.child("Error")
        else { return nil }
        let code = error.childText("Code").flatMap { $0.isEmpty ? nil : $0 }
        let message = error.childText("Message") ?? ""
        return (code, message.isEmpty ? (code ?? "unknown error") : message)
    }

    private static func classify(
        _ envelope: (code: String?, message: String), status: Int, retryAfter: String?
    ) -> ProviderError {
        if status == 429 || envelope.code.map(throttlingCodes.contains) == true {
            return .rateLimited(retryAfterSeconds: retryAfter.flatMap { Int(AWSXMLElement.trimmed($0)) })
        }
        return .api(code: envelope.code, message: envelope.message)
    }
}
