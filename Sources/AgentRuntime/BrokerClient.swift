import NIOHTTP1
import NodeAgent

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The agent's calls to the broker, each authenticated with the node's token: heartbeats, output
/// lines, the job's shard objects.
public struct BrokerClient: HeartbeatTransport {
    let http: AgentHTTPClient

    public init(http: AgentHTTPClient = AgentHTTPClient()) {
        self.http = http
    }

    public func send(_ report: HeartbeatReport, broker: String, token: String) async -> AgentEvent {
        do {
            let body = try await call(.POST, "/v1/agent/heartbeat", broker: broker, token: token, json: report)
            guard let answer = try? JSONDecoder().decode(HeartbeatAnswer.self, from: Data(body)) else {
                return .heartbeatFailed(reason: "the broker's answer is not a heartbeat answer")
            }
            return .heartbeatAnswered(answer)
        } catch {
            return .heartbeatFailed(reason: error.description)
        }
    }

    /// Sends a batch of the command's output lines.
    public func sendLogs(_ lines: [LogBatcher.Line], broker: String, token: String) async throws(AgentHTTPError) {
        _ = try await call(.POST, "/v1/agent/logs", broker: broker, token: token, json: LogBatch(lines: lines))
    }

    /// The job's shards with their objects' URIs.
    public func dataset(broker: String, token: String) async throws(AgentHTTPError) -> DatasetAnswer {
        let body = try await call(.GET, "/v1/agent/dataset", broker: broker, token: token, json: String?.none)
        guard let answer = try? JSONDecoder().decode(DatasetAnswer.self, from: Data(body)) else {
            throw .failed("the broker's answer is not the job's dataset")
        }
        return answer
    }

    /// A call to the broker with `token` as the bearer, answered with a 2xx body.
    func call(
        _ method: HTTPMethod, _ path: String, broker: String, token: String, json: (some Encodable)?
    ) async throws(AgentHTTPError) -> [UInt8] {
        guard let base = BrokerURL(broker) else { throw .failed("'\(broker)' is not an http(s) URL") }
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        var body: [UInt8] = []
        if let json {
            guard let encoded = try? JSONEncoder().encode(json) else { throw .failed("cannot encode the request") }
            body = Array(encoded)
            headers.append(("Content-Type", "application/json"))
        }
        let response = try await http.send(method, base.appending(path: path), headers: headers, body: body)
        guard response.isSuccess else { throw .refused(status: response.status, message: Self.problem(response)) }
        return response.body
    }

    /// The broker's own words for a refusal: its problem document's `detail`, else the status.
    static func problem(_ response: AgentHTTPResponse) -> String {
        struct Problem: Decodable { var detail: String? }
        let detail = (try? JSONDecoder().decode(Problem.self, from: Data(response.body)))?.detail
        return "the broker answered \(response.status)" + (detail.map { ": \($0)" } ?? "")
    }
}

/// The body of `POST /v1/agent/logs`.
struct LogBatch: Encodable {
    var lines: [LogBatcher.Line]
}
