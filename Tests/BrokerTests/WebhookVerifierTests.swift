import BrokerCore
import Crypto
import Foundation
import Testing

@testable import Broker

@Suite("Webhook signatures: Standard Webhooks v1, tolerance, rotation")
struct WebhookVerifierTests {
    // The Standard Webhooks specification's example, checked independently with Python's hmac:
    // base64(hmac.new(b64decode(key), b"<id>.<timestamp>.<body>", sha256).digest()).
    private static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    private static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    private static let timestamp = "1614265330"
    private static let body = Array(#"{"test": 2432232314}"#.utf8)
    private static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    private static let signedAt = Date(timeIntervalSince1970: 1_614_265_330)

    private static let key = WebhookVerifier.key(fromSecret: secret)!
    private static let otherKey = WebhookVerifier.key(
        fromSecret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString())!

    /// Why `signature` (and the other headers) are refused, or nil when they pass.
    private func refusal(
        keys: [SymmetricKey] = [key], id: String? = id, timestamp: String? = timestamp, signature: String? = expected,
        body: [UInt8] = body, now: Date = signedAt
    ) -> WebhookVerificationError? {
        do {
            try WebhookVerifier(keys: keys).verify(
                id: id, timestamp: timestamp, signature: signature, body: body, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test("the specification's example verifies, and signing reproduces it")
    func knownVector() {
        #expect(refusal() == nil)
        #expect(
            WebhookVerifier.signature(id: Self.id, timestamp: Self.timestamp, body: Self.body, key: Self.key)
                == Self.expected)
    }

    @Test("a changed body, id or timestamp no longer matches")
    func tampering() {
        #expect(refusal(body: Array(#"{"test": 2432232315}"#.utf8)) == .noMatchingSignature)
        #expect(refusal(id: "msg_other") == .noMatchingSignature)
        #expect(refusal(timestamp: "1614265331") == .noMatchingSignature)
    }

    @Test("each missing or empty header is named")
    func missingHeaders() {
        #expect(refusal(id: nil) == .missingHeader("webhook-id"))
        #expect(refusal(timestamp: "") == .missingHeader("webhook-timestamp"))
        #expect(refusal(signature: nil) == .missingHeader("webhook-signature"))
    }

    @Test("a timestamp beyond the tolerance either way is stale; at the edge it passes")
    func tolerance() {
        #expect(refusal(now: Self.signedAt.addingTimeInterval(300)) == nil)
        #expect(refusal(now: Self.signedAt.addingTimeInterval(-300)) == nil)
        #expect(
            refusal(now: Self.signedAt.addingTimeInterval(301))
                == .staleTimestamp(skewSeconds: -301, toleranceSeconds: 300))
        #expect(
            refusal(now: Self.signedAt.addingTimeInterval(-301))
                == .staleTimestamp(skewSeconds: 301, toleranceSeconds: 300))
        #expect(refusal(timestamp: "-1614265330") == .invalidTimestamp)
        #expect(refusal(timestamp: "1614265330.5") == .invalidTimestamp)
        #expect(refusal(timestamp: "99999999999999999999999") == .invalidTimestamp)
    }

    @Test("bad base64 and other versions are skipped; any listed v1 signature may match")
    func signatureList() {
        let good = String(Self.expected.dropFirst(3))
        #expect(refusal(signature: "v1,not*base64") == .noMatchingSignature)
        #expect(refusal(signature: "v2,\(good)") == .noMatchingSignature)
        #expect(refusal(signature: "v1a,\(good)") == .noMatchingSignature)
        #expect(refusal(signature: "v1,\(good.dropLast(4))") == .noMatchingSignature)
        #expect(refusal(signature: "v2,\(good) v1,bm9wZQ== v1,\(good)") == nil)
        #expect(refusal(signature: "v1,%%% \(Self.expected)") == nil)
    }

    @Test("during a rotation either secret is accepted; a key that is not configured is not")
    func rotation() {
        let signedWithOther = WebhookVerifier.signature(
            id: Self.id, timestamp: Self.timestamp, body: Self.body, key: Self.otherKey)
        #expect(refusal(keys: [Self.key], signature: signedWithOther) == .noMatchingSignature)
        #expect(refusal(keys: [Self.key, Self.otherKey], signature: signedWithOther) == nil)
        #expect(refusal(keys: [Self.otherKey, Self.key]) == nil)
    }

    @Test("secrets come from the named variables; none set is nil; a bad one names its variable, not its value")
    func loading() throws {
        let configuration = WebhookConfiguration(secretsEnv: ["OLD_SECRET", "NEW_SECRET"], toleranceSeconds: 60)
        #expect(try WebhookVerifier.load(configuration, environment: [:]) == nil)
        #expect(try WebhookVerifier.load(configuration, environment: ["NEW_SECRET": " "]) == nil)
        let verifier = try #require(
            try WebhookVerifier.load(configuration, environment: ["NEW_SECRET": Self.secret, "OTHER": "x"]))
        #expect(verifier.keyCount == 1)
        #expect(verifier.toleranceSeconds == 60)
        #expect(WebhookVerifier.key(fromSecret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == Self.key)
        let error = #expect(throws: ConfigurationError.self) {
            try WebhookVerifier.load(configuration, environment: ["OLD_SECRET": "whsec_s3cr3t!!"])
        }
        #expect(error?.description.contains("OLD_SECRET") == true)
        #expect(error?.description.contains("s3cr3t") == false)
    }
}
