import BrokerCore
import Foundation

/// Reads the interruption notices in a provider callback's body, in any of the formats the broker
/// understands:
///
/// - an AWS EventBridge event: "EC2 Spot Instance Interruption Warning" (an interruption, two
///   minutes after the event's `time`) or "EC2 Instance Rebalance Recommendation" (a rebalance);
/// - an Azure Scheduled Events document: each `Preempt` event is a preempt notice for each of its
///   `Resources` (other event types are no notice);
/// - the generic `{"instance_id", "action": "interruption" | "rebalance" | "preempt", "not_before"}`
///   with an optional RFC 3339 `not_before`.
///
/// A body that is none of these, or one of them with a missing or unreadable field, is
/// ``ProviderError/malformed(_:)`` saying what is wrong.
public enum WebhookNotices {
    public static func parse(_ body: [UInt8]) throws(ProviderError) -> [InterruptionNotice] {
        let keys = try ProviderJSON.decode(TopLevelKeys.self, from: body).keys
        if keys.contains("detail-type") {
            return [try ProviderJSON.decode(EventBridgeNotice.self, from: body).notice()]
        }
        if keys.contains("Events") {
            return try ProviderJSON.decode(AzureScheduledEvents.self, from: body).notices()
        }
        if keys.contains("instance_id") {
            return [try ProviderJSON.decode(GenericNotice.self, from: body).notice()]
        }
        throw .malformed(
            "not a notice the broker knows: expected an AWS EventBridge event (detail-type), an Azure Scheduled "
                + "Events document (Events) or {instance_id, action, not_before}")
    }

    /// The member names of a JSON object, to tell the formats apart.
    private struct TopLevelKeys: Decodable {
        let keys: Set<String>

        init(from decoder: any Decoder) throws {
            keys = Set(try decoder.container(keyedBy: JSONKey.self).allKeys.map(\.stringValue))
        }
    }
}

/// A notice's instance id: present and not blank, or a malformed error naming `field`.
func requiredInstanceID(_ value: String, field: String) throws(ProviderError) -> String {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { throw .malformed("'\(field)' is empty") }
    return trimmed
}
