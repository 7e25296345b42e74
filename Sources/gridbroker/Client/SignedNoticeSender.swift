import Broker
import BrokerCore
import Crypto
import CurlHTTP
import Foundation
import MarketSim

/// Posts the simulated market's reclaim notices to the broker's webhook endpoint
/// (`<broker>/v1/webhooks/<provider>`), in the broker's generic notice format, signed the Standard
/// Webhooks way with the broker's secret.
struct SignedNoticeSender: ReclaimNoticeSender {
    let brokerURL: String
    let key: SymmetricKey
    let client: CurlHTTPClient

    func send(_ notice: ReclaimNotice) async throws {
        let body = Array(
            #"{"instance_id": "\#(notice.nativeID)", "action": "interruption", "not_before": "\#(RFC3339.string(from: notice.notBefore))"}"#
                .utf8)
        let id = "sim_" + UUID().uuidString
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let response = try await client.execute(
            HTTPRequest(
                method: .post, url: "\(brokerURL)/v1/webhooks/\(notice.provider.rawValue)",
                headers: [
                    "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": timestamp,
                    "webhook-signature": WebhookVerifier.signature(id: id, timestamp: timestamp, body: body, key: key),
                ], body: body, timeout: .seconds(10), retry: .none))
        guard response.isSuccess else {
            throw CommandFailure("the broker answered the notice with HTTP \(response.status): \(response.bodyString)")
        }
    }
}
