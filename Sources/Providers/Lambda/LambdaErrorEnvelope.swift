/// `{"error": {"code": "global/invalid-api-key", "message": "...", "suggestion": "..."}}`.
struct LambdaErrorEnvelope: ProviderErrorEnvelope {
    var code: String?
    var message: String?

    private enum CodingKeys: String, CodingKey {
        case error
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let error = container.lenientObject(.error) {
            code = error.lenientString(JSONKey("code"))
            message = error.lenientString(JSONKey("message"))
        } else {
            message = container.lenientString(.error)
        }
    }

    var error: ProviderError? {
        guard code != nil || message != nil else { return nil }
        return .api(code: code, message: message ?? code ?? "")
    }
}
