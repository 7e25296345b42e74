import Crypto
import Foundation

/// A node's secret for the agent endpoints: 32 random bytes, base64url. The broker stores only
/// its SHA-256 (hex), so a database copy does not let anyone speak for a node.
public struct AgentToken: Sendable {
    public let token: String

    public init() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public var hash: String { Self.hash(token) }

    /// The stored form of `token`.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
