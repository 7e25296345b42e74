import Foundation

/// A node's secret for the agent endpoints (a ``SecretToken``). The broker stores only its hash,
/// so a database copy does not let anyone speak for a node.
public struct AgentToken: Sendable {
    public let token: String

    public init() {
        token = SecretToken.random()
    }

    public var hash: String { Self.hash(token) }

    /// The stored form of `token`.
    public static func hash(_ token: String) -> String { SecretToken.hash(token) }
}
