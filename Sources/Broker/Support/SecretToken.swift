import BrokerCore
import Crypto
import Foundation

/// Random bearer secrets and their stored form. A secret is 32 random bytes (256 bits),
/// base64url without padding; the broker keeps only its SHA-256 (hex).
public enum SecretToken {
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of `token`.
    public static func hash(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Array(token.utf8)))
    }
}
