import BrokerCore
import Foundation

/// An AWS EventBridge event from `aws.ec2` about a Spot instance, as EventBridge delivers it:
///
/// ```json
/// {"version": "0", "id": "…", "detail-type": "EC2 Spot Instance Interruption Warning",
///  "source": "aws.ec2", "account": "123456789012", "time": "2026-11-21T15:02:11Z",
///  "region": "us-east-2", "resources": ["arn:aws:ec2:us-east-2a:instance/i-1234567890abcdef0"],
///  "detail": {"instance-id": "i-1234567890abcdef0", "instance-action": "terminate"}}
/// ```
struct EventBridgeNotice: Decodable {
    static let interruptionWarning = "EC2 Spot Instance Interruption Warning"
    static let rebalanceRecommendation = "EC2 Instance Rebalance Recommendation"
    /// AWS acts two minutes after it sends the interruption warning.
    static let interruptionLead: TimeInterval = 120

    struct Detail: Decodable {
        let instanceID: String
        /// `terminate`, `stop` or `hibernate`; interruption warnings only.
        let instanceAction: String?

        enum CodingKeys: String, CodingKey {
            case instanceID = "instance-id"
            case instanceAction = "instance-action"
        }
    }

    let detailType: String
    let time: String?
    let detail: Detail

    enum CodingKeys: String, CodingKey {
        case detailType = "detail-type"
        case time, detail
    }

    func notice() throws(ProviderError) -> InterruptionNotice {
        let instance = try requiredInstanceID(detail.instanceID, field: "detail.instance-id")
        switch detailType {
        case Self.interruptionWarning:
            let action = detail.instanceAction.map { " (\($0))" } ?? ""
            return InterruptionNotice(
                instanceID: instance, kind: .interruption,
                notBefore: try eventTime().map { $0.addingTimeInterval(Self.interruptionLead) },
                summary: Self.interruptionWarning + action)
        case Self.rebalanceRecommendation:
            _ = try eventTime()
            return InterruptionNotice(
                instanceID: instance, kind: .rebalance, notBefore: nil, summary: Self.rebalanceRecommendation)
        default:
            throw .malformed(
                "AWS event '\(detailType)' is not an interruption notice (expected '\(Self.interruptionWarning)' "
                    + "or '\(Self.rebalanceRecommendation)')")
        }
    }

    /// The event's `time`, when it has one; an unreadable one is an error.
    private func eventTime() throws(ProviderError) -> Date? {
        guard let time else { return nil }
        guard let date = RFC3339.date(from: time) else {
            throw .malformed("'time' \(time.debugDescription) is not an RFC 3339 timestamp")
        }
        return date
    }
}
