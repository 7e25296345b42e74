/// How an agent's heartbeats reach the broker: `POST <broker>/v1/agent/heartbeat` with the node's
/// token as a bearer token. The real agent and the simulated market's agents share one over HTTP;
/// tests can answer in process.
public protocol HeartbeatTransport: Sendable {
    /// Sends `report` and turns what comes back into the agent's next event: the answer, or why
    /// there is none (broker unreachable, an error status, an unreadable body).
    func send(_ report: HeartbeatReport, broker: String, token: String) async -> AgentEvent
}
