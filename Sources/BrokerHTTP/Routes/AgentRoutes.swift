import Broker
import BrokerCore
import Foundation
import Hummingbird
import NodeAgent
import Store

/// The node agents' endpoints, each authenticated by the node's own token: heartbeats, the agent's
/// executable, the command's output, and the job's shard objects.
struct AgentRoutes {
    let reports: AgentReports
    let catalog: GPUCatalog
    let agent: AgentBinary?
    let logs: NodeLogStore

    /// The most lines one `POST /v1/agent/logs` may carry.
    static let maximumLogLines = 10_000

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/agent/heartbeat") { request, _ in try await heartbeat(request) }
        router.get("v1/agent/download") { request, context in try await download(request, context: context) }
        router.post("v1/agent/logs") { request, _ in try await appendLogs(request) }
        router.get("v1/agent/dataset") { request, _ in try await dataset(request) }
    }

    /// The node whose token the request bears, else a 401.
    private func node(_ request: Request) async throws -> NodeRecord {
        guard let presented = BearerToken.from(request),
            let node = try await reports.node(presenting: presented)
        else {
            AuthFailures.record(.agentToken)
            throw ProblemDetails(status: .unauthorized, detail: "a valid node token is required")
        }
        return node
    }

    private func heartbeat(_ request: Request) async throws -> JSONResponse<HeartbeatResponse> {
        let node = try await node(request)
        let report: HeartbeatRequest = try await Self.decode(request, what: "heartbeat")
        if let address = report.address, !NodeAddressSyntax.isValid(address) {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid heartbeat",
                errors: [.init(field: "address", message: "must be an IP address or a host name")])
        }
        let outcome = try await reports.heartbeat(report.heartbeat, node: node.id)
        let spec = try? outcome.job.decodedSpec(catalog: catalog)
        return JSONResponse(HeartbeatResponse(outcome, spec: spec))
    }

    /// The agent's executable, with its SHA-256 (`Repr-Digest`, RFC 9530, and in hex).
    private func download(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try await node(request)
        guard let agent else {
            throw ProblemDetails(
                status: .serviceUnavailable, detail: "this broker has no node agent to serve (\(AgentBinary.fileName))")
        }
        let digest = Data(hex: agent.sha256).map { $0.base64EncodedString() } ?? ""
        let body = try await FileIO().loadFile(path: agent.path, context: context)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream", .contentLength: String(agent.size),
                .init("Repr-Digest")!: "sha-256=:\(digest):", .init("X-Gridbroker-Agent-Sha256")!: agent.sha256,
            ],
            body: body)
    }

    private func appendLogs(_ request: Request) async throws -> JSONResponse<LogsAccepted> {
        let node = try await node(request)
        let batch: AgentLogBatch = try await Self.decode(request, what: "log batch")
        guard batch.lines.count <= Self.maximumLogLines else {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid log batch",
                errors: [.init(field: "lines", message: "at most \(Self.maximumLogLines) lines per batch")])
        }
        if let bad = batch.lines.firstIndex(where: { $0.seq < 1 }) {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid log batch",
                errors: [.init(field: "lines[\(bad)].seq", message: "must be at least 1")])
        }
        let accepted = try await logs.append(
            job: node.jobId, node: node.id, rank: node.rank,
            lines: batch.lines.map { (seq: $0.seq, stream: $0.stream, text: $0.text) })
        return JSONResponse(LogsAccepted(accepted: accepted))
    }

    private func dataset(_ request: Request) async throws -> JSONResponse<DatasetResponse> {
        let node = try await node(request)
        guard let objects = try await reports.shardObjects(ofJob: node.jobId) else {
            throw ProblemDetails(status: .notFound, detail: "job \(node.jobId) has no dataset manifest")
        }
        return JSONResponse(DatasetResponse(shardObjects: objects))
    }

    /// The request's JSON body as `Value`, times read as RFC 3339; a 400 naming the field otherwise.
    private static func decode<Value: Decodable>(_ request: Request, what: String) async throws -> Value {
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
        do {
            return try decoder.decode(Value.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw ProblemDetails(status: .badRequest, detail: "invalid \(what)", errors: [fieldError(error)])
        }
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

extension Data {
    /// The bytes an even-length hex string spells, or nil.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        self.init(bytes)
    }
}
