/// How a launched node gets its agent: from the broker (`GET <broker>/v1/agent/download`, with the
/// node's token), checked against the SHA-256 the broker serves.
public struct AgentDelivery: Sendable, Equatable {
    /// The broker's base URL as nodes reach it (`server.public_url`).
    public var brokerURL: String
    /// SHA-256 of the agent executable, lower-case hex.
    public var sha256: String
    /// Seconds between the agent's heartbeats (the broker's heartbeat timeout is set against it).
    public var heartbeatSeconds: Double

    public init(brokerURL: String, sha256: String, heartbeatSeconds: Double = 10) {
        self.brokerURL = brokerURL.hasSuffix("/") ? String(brokerURL.dropLast()) : brokerURL
        self.sha256 = sha256
        self.heartbeatSeconds = heartbeatSeconds
    }

    public var downloadURL: String { brokerURL + "/v1/agent/download" }
}
