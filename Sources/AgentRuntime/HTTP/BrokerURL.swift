#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An `http://` or `https://` URL the agent talks to, split the way a request needs it.
public struct BrokerURL: Sendable, Equatable, CustomStringConvertible {
    public var isTLS: Bool
    public var host: String
    public var port: Int
    /// The path and query, starting with `/`.
    public var requestTarget: String

    /// `text` read as an absolute http(s) URL, or nil.
    public init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        isTLS = scheme == "https"
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? (isTLS ? 443 : 80)
        let path = url.path.isEmpty ? "/" : url.path
        requestTarget = url.query.map { path + "?" + $0 } ?? path
    }

    /// The same server with `path` appended to this URL's path (`/v1/agent/heartbeat` under a
    /// broker served below a prefix keeps the prefix).
    public func appending(path: String) -> BrokerURL {
        var url = self
        let base = requestTarget.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        url.requestTarget = (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
        return url
    }

    /// The `Host` header: the port only when it is not the scheme's default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// The name TLS checks the certificate against (none for an IP address).
    var tlsServerName: String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    public var description: String {
        "\(isTLS ? "https" : "http")://\(hostHeader)\(requestTarget)"
    }
}
