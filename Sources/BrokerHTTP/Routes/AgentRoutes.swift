import Broker
import BrokerCore
import Foundation
import Hummingbird
import Store

/// The node agents' endpoint: `POST /v1/agent/heartbeat`, authenticated by the node's own token.
struct AgentRoutes {
    let nodes: any NodeRepository
    let catalog: GPUCatalog
    let clock: any BrokerClock
    let signals: FleetSignals

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/agent/heartbeat") { request, _ in try await heartbeat(request) }
    }

    private func heartbeat(_ request: Request) async throws -> JSONResponse<HeartbeatResponse> {
        guard let presented = BearerToken.from(request),
            let node = try await nodes.node(agentTokenHash: AgentToken.hash(presented))
        else {
            AuthFailures.record(.agentToken)
            throw ProblemDetails(status: .unauthorized, detail: "a valid node token is required")
        }
        let body = try await request.body.collect(upTo: BodyLimitMiddleware<BasicRequestContext>.maximumBytes)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "not RFC 3339"))
            }
            return date
        }
        let report: HeartbeatRequest
        do {
            report = try decoder.decode(HeartbeatRequest.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw ProblemDetails(status: .badRequest, detail: "invalid heartbeat", errors: [Self.fieldError(error)])
        }
        if let address = report.address, !NodeAddressSyntax.isValid(address) {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid heartbeat",
                errors: [.init(field: "address", message: "must be an IP address or a host name")])
        }
        let outcome = try await nodes.recordHeartbeat(report.heartbeat, node: node.id, at: clock.now)
        if !outcome.terminating.isEmpty { signals.jobEnded() }
        let spec = try? outcome.job.decodedSpec(catalog: catalog)
        return JSONResponse(HeartbeatResponse(outcome, spec: spec))
    }

    /// The field a decoding error is about, and what is wrong with it.
    static func fieldError(_ error: DecodingError) -> ProblemDetails.FieldError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context.codingPath + [key]), message: "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .init(field: path(context.codingPath), message: "has the wrong type")
        case .dataCorrupted(let context):
            return .init(
                field: path(context.codingPath),
                message: context.codingPath.isEmpty
                    ? "the body is not JSON, or a number in it is not a whole number in range"
                    : context.debugDescription)
        @unknown default:
            return .init(field: "", message: "unreadable")
        }
    }
}
