/// Shadeform's error answer. Its shape is not documented: `{"error": "..."}`,
/// `{"error": {"code", "message"}}`, `{"message": "..."}` and `{"detail": "..."}` are all read.
struct ShadeformErrorEnvelope: ProviderErrorEnvelope {
    var code: String?
    var message: String?

    private enum CodingKeys: String, CodingKey {
        case error, message, detail, code
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
        code = code ?? container.lenientString(.code)
        message = message ?? container.lenientString(.message) ?? container.lenientString(.detail)
    }

    var error: ProviderError? {
        guard let message else { return nil }
        return .api(code: code, message: message)
    }
}
