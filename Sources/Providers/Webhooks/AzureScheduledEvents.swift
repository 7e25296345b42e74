import BrokerCore
import CurlHTTP
import Foundation

/// An Azure Scheduled Events document, as the instance metadata service serves it and a node
/// forwards it:
///
/// ```json
/// {"DocumentIncarnation": 2, "Events": [{"EventId": "C7061BAC-AFDC-4513-B24B-AA5F13A16123",
///   "EventType": "Preempt", "ResourceType": "VirtualMachine", "Resources": ["vm-1"],
///   "EventStatus": "Scheduled", "NotBefore": "Mon, 19 Sep 2016 18:29:47 GMT",
///   "Description": "", "EventSource": "Platform", "DurationInSeconds": -1}]}
/// ```
///
/// Only `Preempt` events are notices; `Freeze`, `Reboot`, `Redeploy` and `Terminate` are not.
struct AzureScheduledEvents: Decodable {
    struct Event: Decodable {
        let eventID: String?
        let eventType: String
        let resources: [String]
        /// An HTTP date; empty once the event has started.
        let notBefore: String?

        enum CodingKeys: String, CodingKey {
            case eventID = "EventId"
            case eventType = "EventType"
            case resources = "Resources"
            case notBefore = "NotBefore"
        }
    }

    let events: [Event]

    enum CodingKeys: String, CodingKey {
        case events = "Events"
    }

    func notices() throws(ProviderError) -> [InterruptionNotice] {
        var notices: [InterruptionNotice] = []
        for (index, event) in events.enumerated() where event.eventType == "Preempt" {
            let notBefore = try Self.date(event.notBefore, field: "Events[\(index)].NotBefore")
            let summary = "Azure Scheduled Event Preempt" + (event.eventID.map { " (EventId \($0))" } ?? "")
            guard !event.resources.isEmpty else { throw .malformed("'Events[\(index)].Resources' is empty") }
            for (position, resource) in event.resources.enumerated() {
                let instance = try requiredInstanceID(resource, field: "Events[\(index)].Resources[\(position)]")
                notices.append(
                    InterruptionNotice(instanceID: instance, kind: .preempt, notBefore: notBefore, summary: summary))
            }
        }
        return notices
    }

    /// An HTTP date ("Mon, 19 Sep 2016 18:29:47 GMT"); nil when absent or empty.
    private static func date(_ text: String?, field: String) throws(ProviderError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let seconds = RetryAfter.parseHTTPDate(text) else {
            throw .malformed("'\(field)' \(text.debugDescription) is not an HTTP date")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
