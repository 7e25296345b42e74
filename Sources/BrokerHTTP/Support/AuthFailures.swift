import Metrics

/// `gridbroker_auth_failures_total`, by the credential that failed: `api_token`, `agent_token`,
/// `join_token`, `machine_token` or `webhook_signature`.
enum AuthFailures {
    enum Credential: String {
        case apiToken = "api_token"
        case agentToken = "agent_token"
        case joinToken = "join_token"
        case machineToken = "machine_token"
        case webhookSignature = "webhook_signature"
    }

    static func record(_ credential: Credential) {
        Counter(label: "gridbroker_auth_failures_total", dimensions: [("credential", credential.rawValue)]).increment()
    }
}
