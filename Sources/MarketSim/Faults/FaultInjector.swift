/// Applies a provider's fault plan around its responder: latency first, then 429 or a 5xx
/// instead of the answer, then a malformed or truncated body. The responder gets the plan, for
/// faults it applies itself (``FaultPlan/noCapacity``).
struct FaultInjector: Sendable {
    let provider: SimulatedProvider
    let board: FaultBoard

    func run(_ respond: (FaultPlan) async throws -> ProviderReply) async throws -> ProviderReply {
        let (plan, failRequest) = board.decide(for: provider)
        if plan.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(plan.latencyMilliseconds))
        }
        if let rateLimit = plan.rateLimit {
            var reply = ProviderErrors.rateLimited(provider)
            reply.retryAfter = rateLimit.retryAfterSeconds
            return reply
        }
        if failRequest {
            return ProviderErrors.serverError(provider)
        }
        var reply = try await respond(plan)
        if plan.malformed {
            reply.body = Self.malform(reply.body, xml: reply.contentType.hasPrefix("text/xml"))
        } else if plan.truncated {
            reply.body = Array(reply.body.prefix(reply.body.count / 2))
        }
        return reply
    }

    /// A body that no JSON or XML parser accepts: the valid body with garbage spliced in halfway,
    /// the way a misbehaving proxy or a half-written cache entry looks.
    static func malform(_ body: [UInt8], xml: Bool) -> [UInt8] {
        let middle = body.count / 2
        let garbage: String = xml ? "<<!-- \u{1}unterminated <item attr=\"" : "}}]], NaN, 'unquoted: \u{1}{"
        return Array(body[..<middle]) + Array(garbage.utf8) + Array(body[middle...])
    }
}
