import Foundation

/// Whether the nodes a provider launches could reach the broker at the URL they are given
/// (`server.public_url`, else `http://<host>:<port>`): a provider whose API is elsewhere than this
/// machine runs its nodes elsewhere too, where a loopback or unspecified address is not the broker.
public enum NodeReachability {
    /// Each provider's problem, by provider id: those whose nodes could not reach the broker.
    public static func problems(_ configuration: BrokerConfiguration) -> [String: String] {
        let agentURL = configuration.server.agentURL
        var problems: [String: String] = [:]
        for provider in configuration.providers {
            guard let base = provider.baseURL, let providerHost = host(of: base), !isLocal(providerHost),
                let brokerHost = host(of: agentURL), isLocal(brokerHost)
            else { continue }
            let given = configuration.server.publicURL == nil ? "no server.public_url, so " : ""
            problems[provider.id] =
                "nodes on \(provider.id) (\(providerHost)) could not reach the broker: \(given)they would be told "
                + "\(agentURL); set server.public_url to an address they reach"
        }
        return problems
    }

    private static func host(of url: String) -> String? {
        let host = URL(string: url.replacingOccurrences(of: "{region}", with: "region"))?.host?.lowercased()
        return host.map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
    }

    /// Loopback, or no address at all (`0.0.0.0`, `::`): nothing another machine can dial.
    private static func isLocal(_ host: String) -> Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
            || host == "0.0.0.0" || host == "::" || host == "0:0:0:0:0:0:0:1"
    }
}
