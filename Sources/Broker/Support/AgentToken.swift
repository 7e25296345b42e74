import Foundation

/// A node's secret for the agent endpoints (`gba_` + a ``SecretToken``). The broker stores only
/// its hash, so a database copy does not let anyone speak for a node. The prefix names the secret
/// for scanners and keeps it from starting with `-`, which `--token` would read as an option.
public struct AgentToken: Sendable {
    public static let prefix = "gba_"

    public let token: String

    public init() {
        token = Self.prefix + SecretToken.random()
    }

    public var hash: String { Self.hash(token) }

    /// The stored form of `token`.
    public static func hash(_ token: String) -> String { SecretToken.hash(token) }
}
