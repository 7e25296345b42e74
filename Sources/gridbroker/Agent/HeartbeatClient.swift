import CurlHTTP
import Foundation
import NodeAgent

/// Heartbeats over HTTP with libcurl, for `gridbroker agent` and the simulated market's agents.
struct HeartbeatClient: HeartbeatTransport {
    let client: CurlHTTPClient

    func send(_ report: HeartbeatReport, broker: String, token: String) async -> AgentEvent {
        let headers: HTTPHeaders = [
            "Authorization": "Bearer \(token)", "Content-Type": "application/json", "Accept": "application/json",
        ]
        let request = HTTPRequest(
            method: .post, url: broker + "/v1/agent/heartbeat", headers: headers,
            body: Array((try? JSONEncoder().encode(report)) ?? Data()), timeout: .seconds(10), retry: .none)
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch {
            return .heartbeatFailed(reason: "broker unreachable: \(error)")
        }
        guard response.isSuccess else { return .heartbeatFailed(reason: CommandFailure(problem: response).message) }
        guard let answer = try? JSONDecoder().decode(HeartbeatAnswer.self, from: Data(response.body)) else {
            return .heartbeatFailed(reason: "the broker's answer is not a heartbeat answer")
        }
        return .heartbeatAnswered(answer)
    }
}
