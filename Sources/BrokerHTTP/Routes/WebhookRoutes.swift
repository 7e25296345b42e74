import Broker
import BrokerCore
import Foundation
import Hummingbird
import Providers
import Store

/// `POST /v1/webhooks/{provider}`: a provider's interruption notices, signed the Standard Webhooks
/// way. Every refusal (unsigned, stale, unknown provider, malformed, unknown instance) changes
/// nothing; an accepted delivery is recorded with its effects in one transaction, so a repeat of
/// its `webhook-id` is answered `duplicate` and changes nothing either.
struct WebhookRoutes {
    /// Nil when no secret is configured: every delivery is then refused with a 503.
    let verifier: WebhookVerifier?
    let notices: InterruptionNotices
    let clock: any BrokerClock

    /// Notices are small; anything larger is not one.
    static let maximumBytes = 64 * 1024
    static let maximumDeliveryIDLength = 255

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/webhooks/:provider") { request, context in
            try await receive(request, provider: context.parameters.require("provider"))
        }
    }

    private func receive(_ request: Request, provider: String) async throws -> JSONResponse<WebhookResponse> {
        guard let verifier else {
            throw ProblemDetails(
                status: .serviceUnavailable,
                detail: "webhooks are not configured: none of the variables named in webhooks.secrets_env is set")
        }
        let body = Array(try await request.body.collect(upTo: Self.maximumBytes).readableBytesView)
        let deliveryID = request.headers[.init("webhook-id")!]
        do {
            try verifier.verify(
                id: deliveryID, timestamp: request.headers[.init("webhook-timestamp")!],
                signature: request.headers[.init("webhook-signature")!], body: body, now: clock.now)
        } catch {
            AuthFailures.record(.webhookSignature)
            throw ProblemDetails(status: .unauthorized, detail: error.description)
        }
        guard let deliveryID, deliveryID.count <= Self.maximumDeliveryIDLength else {
            throw ProblemDetails(
                status: .badRequest, detail: "webhook-id must be at most \(Self.maximumDeliveryIDLength) characters")
        }
        guard try await notices.knows(provider: provider) else {
            throw ProblemDetails(status: .notFound, detail: "provider \(provider) is not configured")
        }
        if try await notices.isDelivered(provider: provider, deliveryID: deliveryID) {
            return JSONResponse(.duplicate)
        }
        let parsed: [InterruptionNotice]
        do {
            parsed = try WebhookNotices.parse(body)
        } catch {
            throw ProblemDetails(status: .badRequest, detail: "not a notice: \(Self.reason(error))")
        }
        guard !parsed.isEmpty else { return JSONResponse(.ignored) }
        do {
            switch try await notices.record(parsed, deliveryID: deliveryID, provider: provider) {
            case .duplicate: return JSONResponse(.duplicate)
            case .handled(let handled): return JSONResponse(WebhookResponse(accepted: handled))
            }
        } catch StoreError.notFound(entity: "instance", let instance) {
            throw ProblemDetails(
                status: .unprocessableContent, detail: "no node of provider \(provider) has instance \(instance)")
        }
    }

    /// The parser's complaint without ProviderError's wording for provider answers.
    private static func reason(_ error: ProviderError) -> String {
        if case .malformed(let message) = error { return message }
        return error.description
    }
}
