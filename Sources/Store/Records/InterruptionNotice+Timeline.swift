import BrokerCore
import Foundation

extension InterruptionNotice {
    /// The notice on a node's timeline: what it says, for which instance, from when.
    public var timelineMessage: String {
        var text = "\(summary) for instance \(instanceID)"
        if let notBefore { text += ", not before \(RFC3339.string(from: notBefore))" }
        return text
    }

    /// The notice's facts as its timeline event's JSON `data`.
    public func timelineData(deliveryID: String) throws -> String {
        struct Facts: Encodable {
            let deliveryID: String
            let instanceID: String
            let kind: String
            let notBefore: String?

            enum CodingKeys: String, CodingKey {
                case deliveryID = "delivery_id"
                case instanceID = "instance_id"
                case kind
                case notBefore = "not_before"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let facts = Facts(
            deliveryID: deliveryID, instanceID: instanceID, kind: kind.rawValue,
            notBefore: notBefore.map(RFC3339.string(from:)))
        return String(decoding: try encoder.encode(facts), as: UTF8.self)
    }
}
