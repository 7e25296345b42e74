import BrokerCore
import Crypto
import Foundation

/// Checks provider callbacks signed the Standard Webhooks way: `webhook-signature` carries one or
/// more space-separated `v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`,
/// and the timestamp (Unix seconds) must be within the tolerance of now.
///
/// Several keys may be accepted at once (rotation): a delivery passes when any key matches any
/// `v1` signature. The keys are never shown (the type has no description of them).
public struct WebhookVerifier: Sendable {
    private let keys: [SymmetricKey]
    /// How far a signed timestamp may be from now, either way, in seconds.
    public let toleranceSeconds: Int

    /// A verifier accepting `keys`; there must be at least one.
    public init(keys: [SymmetricKey], toleranceSeconds: Int = 300) {
        precondition(!keys.isEmpty, "a webhook verifier needs at least one key")
        self.keys = keys
        self.toleranceSeconds = toleranceSeconds
    }

    /// How many keys are accepted (for the startup log).
    public var keyCount: Int { keys.count }

    /// Passes when the headers sign `body` with one of the keys at a fresh timestamp; otherwise
    /// throws why not, in words that reveal nothing about the keys.
    public func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], now: Date)
        throws(WebhookVerificationError)
    {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
        guard let signature, !signature.isEmpty else { throw .missingHeader("webhook-signature") }
        guard timestamp.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let seconds = Int64(timestamp)
        else {
            throw .invalidTimestamp
        }
        let skew = seconds - Int64(now.timeIntervalSince1970.rounded(.down))
        guard skew.magnitude <= UInt64(toleranceSeconds) else {
            throw .staleTimestamp(skewSeconds: skew, toleranceSeconds: toleranceSeconds)
        }
        let message = Self.signedContent(id: id, timestamp: timestamp, body: body)
        let candidates = Self.v1Signatures(in: signature)
        for key in keys {
            for candidate in candidates
            where HMAC<SHA256>.isValidAuthenticationCode(candidate, authenticating: message, using: key) {
                return
            }
        }
        throw .noMatchingSignature
    }

    /// The `webhook-signature` value (`v1,<base64>`) of `body` under `key`: what a sender puts on
    /// the request (the simulated market, tests).
    public static func signature(id: String, timestamp: String, body: [UInt8], key: SymmetricKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: signedContent(id: id, timestamp: timestamp, body: body), using: key)
        return "v1," + Data(code).base64EncodedString()
    }

    /// The key of a secret written as `whsec_<base64 of the key bytes>` (the prefix may be left
    /// out); nil when it is not base64 or is empty.
    public static func key(fromSecret secret: String) -> SymmetricKey? {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        let encoded = trimmed.hasPrefix("whsec_") ? String(trimmed.dropFirst("whsec_".count)) : trimmed
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// `<id>.<timestamp>.<body>`, the bytes that are signed.
    private static func signedContent(id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        Array(id.utf8) + [UInt8(ascii: ".")] + Array(timestamp.utf8) + [UInt8(ascii: ".")] + body
    }

    /// The decoded `v1` entries of a `webhook-signature` value; other versions and entries that
    /// are not base64 are skipped.
    private static func v1Signatures(in header: String) -> [Data] {
        header.split(separator: " ").compactMap { entry in
            guard entry.hasPrefix("v1,") else { return nil }
            return Data(base64Encoded: String(entry.dropFirst(3)))
        }
    }
}

extension WebhookVerifier {
    /// The verifier for the keys in the environment variables `configuration.secretsEnv` names;
    /// nil when none of them is set (the webhook endpoint then refuses every delivery). A variable
    /// that is set but holds no usable secret is an error naming the variable, never its value.
    public static func load(_ configuration: WebhookConfiguration, environment: [String: String])
        throws(ConfigurationError) -> WebhookVerifier?
    {
        var keys: [SymmetricKey] = []
        for name in configuration.secretsEnv {
            guard let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let key = key(fromSecret: value) else {
                throw ConfigurationError(
                    source: name, keyPath: "webhooks.secrets_env",
                    message: "not a Standard Webhooks secret (expected whsec_ followed by the base64 of the key)")
            }
            keys.append(key)
        }
        return keys.isEmpty ? nil : WebhookVerifier(keys: keys, toleranceSeconds: configuration.toleranceSeconds)
    }
}
