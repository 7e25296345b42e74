import Foundation
import Store

/// `POST /v1/webhooks/{provider}`: what became of a delivery. `status` is `accepted` (its notices
/// were acted on), `duplicate` (its `webhook-id` was handled before; nothing changed) or `ignored`
/// (a valid body with no notice in it, such as an Azure document with no `Preempt` event).
struct WebhookResponse: Encodable, Sendable {
    struct Notice: Encodable, Sendable {
        var instanceID: String
        var kind: String
        var notBefore: Date?
        var nodeID: String
        var jobID: String
        /// The node's state after the notice.
        var nodeState: String

        enum CodingKeys: String, CodingKey {
            case kind
            case instanceID = "instance_id"
            case notBefore = "not_before"
            case nodeID = "node_id"
            case jobID = "job_id"
            case nodeState = "node_state"
        }
    }

    var status: String
    var notices: [Notice]?

    static let duplicate = WebhookResponse(status: "duplicate")
    static let ignored = WebhookResponse(status: "ignored")

    init(status: String, notices: [Notice]? = nil) {
        self.status = status
        self.notices = notices
    }

    init(accepted handled: [HandledNotice]) {
        self.init(
            status: "accepted",
            notices: handled.map {
                Notice(
                    instanceID: $0.notice.instanceID, kind: $0.notice.kind.rawValue, notBefore: $0.notice.notBefore,
                    nodeID: $0.node.id, jobID: $0.node.jobId, nodeState: $0.node.state.rawValue)
            })
    }
}
