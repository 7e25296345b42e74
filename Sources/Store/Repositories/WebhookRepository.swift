import BrokerCore
import Foundation

/// Provider callbacks: which deliveries were already handled, and the notices they carry acted on
/// together with the record of the delivery, in one transaction.
public protocol WebhookRepository: Sendable {
    /// Whether `provider` already delivered `deliveryID` (its `webhook-id`).
    func isDelivered(provider: String, deliveryID: String) async throws -> Bool
    /// Records delivery `deliveryID` of `provider` and acts on its notices, all or nothing: each
    /// notice becomes a `node.notice` event on its node's and job's timeline, and a notice that
    /// reclaims (interruption, preempt) moves a running node to preempting. A delivery seen before
    /// changes nothing and is ``NoticeDelivery/duplicate``.
    ///
    /// A notice's instance id matches a node of `provider` whose native instance id is the same, or
    /// ends in `/` and the same (AWS nodes are `<region>/<instance id>`, notices name the bare id).
    /// A notice for an instance no node has throws ``StoreError/notFound(entity:id:)`` with entity
    /// `instance`, and nothing is written.
    func record(notices: [InterruptionNotice], deliveryID: String, provider: String, at: Date) async throws
        -> NoticeDelivery
}

/// What a delivery of notices did.
public enum NoticeDelivery: Sendable, Equatable {
    /// The delivery was handled before; nothing changed.
    case duplicate
    /// Each notice and the node it named, as it is now.
    case handled([HandledNotice])
}

/// One notice acted on.
public struct HandledNotice: Sendable, Equatable {
    public var notice: InterruptionNotice
    /// The node after the notice.
    public var node: NodeRecord
    /// Whether this notice moved the node to preempting.
    public var preempted: Bool

    public init(notice: InterruptionNotice, node: NodeRecord, preempted: Bool) {
        self.notice = notice
        self.node = node
        self.preempted = preempted
    }
}
