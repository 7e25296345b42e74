/// `{"success": false, "error": "invalid_args", "msg": "..."}`, Vast's error answer.
struct VastErrorEnvelope: ProviderErrorEnvelope {
    var code: String?
    var message: String?

    private enum CodingKeys: String, CodingKey {
        case error, msg, message, detail
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = container.lenientString(.error)
        message =
            container.lenientString(.msg) ?? container.lenientString(.message)
            ?? container.lenientString(.detail)
    }

    var error: ProviderError? {
        guard code != nil || message != nil else { return nil }
        return .api(code: code, message: message ?? code ?? "")
    }
}
