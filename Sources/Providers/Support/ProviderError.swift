import CurlHTTP

/// Why a provider call failed, in words an operator can act on. Never carries credentials.
public enum ProviderError: Error, Equatable, CustomStringConvertible {
    /// The request did not get an answer (connection refused, timeout, TLS, ...).
    case transport(String)
    /// The provider asked us to slow down; `retryAfterSeconds` when it said for how long.
    case rateLimited(retryAfterSeconds: Int?)
    /// The credentials were refused (401, 403).
    case unauthorized(status: Int)
    /// Any other non-success status, with the start of the body for the operator.
    case http(status: Int, snippet: String)
    /// The provider answered with its own error envelope (RunPod's `errors`, Lambda's `error`, ...).
    case api(code: String?, message: String)
    /// The body is not what the API documents: invalid or truncated JSON/XML, wrong shape.
    case malformed(String)
    /// The adapter is missing something it needs (an API key variable that is not set, ...).
    case misconfigured(String)
    /// A launch was refused for lack of capacity; `scope` says how far the refusal reaches.
    case insufficientCapacity(scope: CapacityScope, message: String)

    public var description: String {
        switch self {
        case .transport(let message): "no answer: \(message)"
        case .rateLimited(let seconds?): "rate limited (retry after \(seconds) s)"
        case .rateLimited(nil): "rate limited"
        case .unauthorized(let status): "credentials refused (HTTP \(status))"
        case .http(let status, let snippet): snippet.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(snippet)"
        case .api(let code?, let message): "\(code): \(message)"
        case .api(nil, let message): message
        case .malformed(let message): "malformed answer: \(message)"
        case .misconfigured(let message): "misconfigured: \(message)"
        case .insufficientCapacity(let scope, let message): "no capacity (\(scope.rawValue)): \(message)"
        }
    }
}

extension ProviderError {
    /// The same error with `transform` applied to every text it carries (to add context, or to
    /// redact a secret).
    public func mappingMessages(_ transform: (String) -> String) -> ProviderError {
        switch self {
        case .transport(let message): .transport(transform(message))
        case .http(let status, let snippet): .http(status: status, snippet: transform(snippet))
        case .api(let code, let message): .api(code: code.map(transform), message: transform(message))
        case .malformed(let message): .malformed(transform(message))
        case .misconfigured(let message): .misconfigured(transform(message))
        case .insufficientCapacity(let scope, let message):
            .insufficientCapacity(scope: scope, message: transform(message))
        case .rateLimited, .unauthorized: self
        }
    }
}

/// How far a capacity refusal reaches, so the scheduler blocks no more than the error shows.
public enum CapacityScope: String, Sendable, Hashable, CaseIterable {
    /// That offer (machine, bundle, instance type in a zone) is taken.
    case offer
    /// The provider has no capacity for it in that region.
    case region
    /// The provider has no capacity at all (or refuses any launch for now).
    case provider
}
