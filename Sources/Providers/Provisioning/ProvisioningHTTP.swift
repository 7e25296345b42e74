import BrokerCore
import CurlHTTP
import Foundation

/// What the JSON provisioners (Vast.ai, RunPod, Lambda Cloud, Shadeform) share: timeouts, retry
/// rules, request building and JSON bodies.
enum ProvisioningHTTP {
    /// The limit for a launch: providers take a while to accept one.
    static let launchTimeout: Duration = .seconds(60)
    /// The limit for a list or a terminate.
    static let callTimeout: Duration = .seconds(30)

    /// A request with JSON `Accept` (and `Content-Type` when there is a body) and the auth header.
    ///
    /// A launch is never retried (`RetryPolicy.none`): a first attempt that reached the provider
    /// before failing may already have created the instance, and a retry would create a second one.
    /// Lists and terminates are safe to repeat and get the pricing calls' short retry.
    static func request(
        _ method: HTTPMethod, _ url: String, auth: (name: String, value: String)?, body: [UInt8]? = nil,
        isLaunch: Bool = false
    ) -> HTTPRequest {
        var headers = ProviderJSON.headers(hasBody: body != nil)
        if let auth { headers.add(name: auth.name, value: auth.value) }
        return HTTPRequest(
            method: method, url: url, headers: headers, body: body,
            timeout: isLaunch ? launchTimeout : callTimeout,
            retry: isLaunch ? .none : ProviderJSON.pricingRetry)
    }

    /// `value` as JSON, keys sorted.
    static func encode<Value: Encodable>(_ value: Value) throws(ProviderError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(value))
        } catch {
            throw .misconfigured("cannot encode the request: \(error)")
        }
    }

    /// The API key a provisioner needs: unlike a pricing call, a launch cannot go without one.
    static func requiredKey(_ apiKey: String?, provider: String) throws(ProviderError) -> String {
        guard let key = ProviderJSON.usableKey(apiKey) else {
            throw .misconfigured("no \(provider) API key configured: instances cannot be managed without one")
        }
        return key
    }

    /// The native id of the offer a launch asks for, checked to belong to `providerID`.
    static func nativeOfferID(_ request: LaunchRequest, providerID: String) throws(ProviderError) -> String {
        guard request.offer.id.provider == providerID else {
            throw .misconfigured("offer '\(request.offer.id)' is not one of provider '\(providerID)'")
        }
        return request.offer.id.native
    }

    /// The error for a native offer id that does not parse: `expected` says its form.
    static func unknownOffer(_ native: String, provider: String, expected: String) -> ProviderError {
        .misconfigured("'\(native)' is not a \(provider) offer id (expected \(expected))")
    }
}

extension HTTPTransport {
    /// Like ``fetchBody(_:errors:)``, with a failure first given to `onFailure` together with the
    /// answer's status (0 when there was no answer): it returns the error to throw, or nil to accept
    /// the failure (an already-gone instance on terminate), in which case the body is empty.
    func fetchBody<Envelope: ProviderErrorEnvelope>(
        _ request: HTTPRequest, errors: Envelope.Type, onFailure: (ProviderError, Int) -> ProviderError?
    ) async throws(ProviderError) -> [UInt8] {
        let response: HTTPResponse
        do {
            response = try await send(request)
        } catch {
            if let error = onFailure(error, 0) { throw error }
            return []
        }
        do {
            return try ProviderJSON.body(of: response) { body in
                ProviderJSON.decodeIfPossible(Envelope.self, from: body)?.error
            }
        } catch {
            if let error = onFailure(error, response.status) { throw error }
            return []
        }
    }
}

extension ProviderError {
    /// An ``api(code:message:)`` error that `scope` classifies as a capacity refusal, as
    /// ``insufficientCapacity(scope:message:)``; any other error as it is.
    /// An ``http(status:snippet:)`` error is offered as a message without a code.
    func asCapacityRefusal(_ scope: (_ code: String?, _ message: String) -> CapacityScope?) -> ProviderError {
        switch self {
        case .api(let code, let message):
            guard let found = scope(code, message) else { return self }
            return .insufficientCapacity(scope: found, message: code.map { "\($0): \(message)" } ?? message)
        case .http(_, let snippet):
            guard let found = scope(nil, snippet) else { return self }
            return .insufficientCapacity(scope: found, message: snippet)
        default:
            return self
        }
    }

    /// The error with every occurrence of each of `secrets` (non-empty ones) replaced by
    /// "<redacted>": for a provider that echoes a key back in an error body.
    func redacting(_ secrets: [String]) -> ProviderError {
        let secrets = secrets.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { return self }
        return mappingMessages { text in
            secrets.reduce(text) { text, secret in text.replacingOccurrences(of: secret, with: "<redacted>") }
        }
    }
}

extension Money {
    /// The exact amount in dollars as a `Decimal`, which `JSONEncoder` writes as a plain number.
    var jsonDollars: Decimal {
        Decimal(sign: microdollars < 0 ? .minus : .plus, exponent: -6, significand: Decimal(microdollars.magnitude))
    }
}
