import BrokerCore
import Foundation

/// The broker's own notice format, for providers without one of their own and for the simulated
/// market: `{"instance_id": "…", "action": "interruption" | "rebalance" | "preempt",
/// "not_before": "2026-11-21T15:04:11Z"}` (`not_before` optional, may be null).
struct GenericNotice: Decodable {
    let instanceID: String
    let action: String
    let notBefore: String?

    enum CodingKeys: String, CodingKey {
        case instanceID = "instance_id"
        case action
        case notBefore = "not_before"
    }

    func notice() throws(ProviderError) -> InterruptionNotice {
        let instance = try requiredInstanceID(instanceID, field: "instance_id")
        guard let kind = InterruptionNotice.Kind(rawValue: action) else {
            throw .malformed(
                "'action' \(action.debugDescription) is not one of "
                    + InterruptionNotice.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var date: Date?
        if let notBefore {
            guard let parsed = RFC3339.date(from: notBefore) else {
                throw .malformed("'not_before' \(notBefore.debugDescription) is not an RFC 3339 timestamp")
            }
            date = parsed
        }
        return InterruptionNotice(instanceID: instance, kind: kind, notBefore: date, summary: "\(action) notice")
    }
}
