/// Why a webhook delivery was not accepted as signed. The messages name headers and times only,
/// never a key or a signature.
public enum WebhookVerificationError: Error, Equatable, CustomStringConvertible {
    /// A Standard Webhooks header is absent or empty.
    case missingHeader(String)
    /// `webhook-timestamp` is not a whole number of Unix seconds.
    case invalidTimestamp
    /// The timestamp is further from now than the tolerance (positive skew: in the future).
    case staleTimestamp(skewSeconds: Int64, toleranceSeconds: Int)
    /// No `v1` signature matches any accepted key.
    case noMatchingSignature

    public var description: String {
        switch self {
        case .missingHeader(let name):
            "the \(name) header is missing"
        case .invalidTimestamp:
            "webhook-timestamp is not a number of Unix seconds"
        case .staleTimestamp(let skew, let tolerance):
            "webhook-timestamp is \(skew.magnitude) s \(skew < 0 ? "old" : "in the future") "
                + "(at most \(tolerance) s either way is accepted)"
        case .noMatchingSignature:
            "no v1 signature in webhook-signature matches a configured secret"
        }
    }
}
