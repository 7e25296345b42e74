import BrokerCore
import Foundation
import Testing

@testable import Providers

@Suite("Webhook notices: AWS EventBridge, Azure Scheduled Events, the generic form")
struct WebhookNoticesTests {
    private func parse(_ json: String) throws(ProviderError) -> [InterruptionNotice] {
        try WebhookNotices.parse(Array(json.utf8))
    }

    /// The message of the malformed error `json` gives, or nil (and a test failure) if it parses.
    private func complaint(_ json: String) -> String? {
        do {
            let notices = try parse(json)
            Issue.record("expected an error, got \(notices)")
            return nil
        } catch {
            guard case .malformed(let message) = error else {
                Issue.record("expected .malformed, got \(error)")
                return nil
            }
            return message
        }
    }

    // As in the EC2 User Guide, "Spot Instance interruption notices".
    private static let awsInterruption = """
        {"version": "0", "id": "12345678-1234-1234-1234-123456789012",
         "detail-type": "EC2 Spot Instance Interruption Warning", "source": "aws.ec2",
         "account": "123456789012", "time": "2026-11-21T15:02:11Z", "region": "us-east-2",
         "resources": ["arn:aws:ec2:us-east-2a:instance/i-1234567890abcdef0"],
         "detail": {"instance-id": "i-1234567890abcdef0", "instance-action": "terminate"}}
        """

    // As in the EC2 User Guide, "EC2 instance rebalance recommendations".
    private static let awsRebalance = """
        {"version": "0", "id": "12345678-1234-1234-1234-123456789012",
         "detail-type": "EC2 Instance Rebalance Recommendation", "source": "aws.ec2",
         "account": "123456789012", "time": "2026-11-21T15:00:00Z", "region": "us-east-2",
         "resources": ["arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0"],
         "detail": {"instance-id": "i-1234567890abcdef0"}}
        """

    // As the Azure instance metadata service serves /metadata/scheduledevents.
    private static let azure = """
        {"DocumentIncarnation": 2, "Events": [
          {"EventId": "602d9444-d2cd-49c7-8624-8643e7171297", "EventType": "Freeze",
           "ResourceType": "VirtualMachine", "Resources": ["vm-0"], "EventStatus": "Scheduled",
           "NotBefore": "Mon, 19 Sep 2016 18:29:47 GMT", "Description": "", "EventSource": "Platform",
           "DurationInSeconds": 9},
          {"EventId": "C7061BAC-AFDC-4513-B24B-AA5F13A16123", "EventType": "Preempt",
           "ResourceType": "VirtualMachine", "Resources": ["vm-1", "vm-2"], "EventStatus": "Scheduled",
           "NotBefore": "Mon, 19 Sep 2016 18:29:47 GMT", "Description": "", "EventSource": "Platform",
           "DurationInSeconds": -1}]}
        """

    @Test("an AWS Spot interruption warning is an interruption two minutes after its time")
    func awsInterruption() throws {
        #expect(
            try parse(Self.awsInterruption) == [
                InterruptionNotice(
                    instanceID: "i-1234567890abcdef0", kind: .interruption,
                    notBefore: RFC3339.date(from: "2026-11-21T15:04:11Z"),
                    summary: "EC2 Spot Instance Interruption Warning (terminate)")
            ])
    }

    @Test("an AWS rebalance recommendation is a rebalance with no deadline")
    func awsRebalance() throws {
        let notices = try parse(Self.awsRebalance)
        #expect(notices.map(\.kind) == [.rebalance])
        #expect(notices.first?.notBefore == nil)
        #expect(notices.first?.instanceID == "i-1234567890abcdef0")
        #expect(!InterruptionNotice.Kind.rebalance.reclaims)
    }

    @Test("another AWS event, or one without an instance id or with a bad time, is refused")
    func awsRefusals() {
        let stateChange = Self.awsInterruption.replacingOccurrences(
            of: "EC2 Spot Instance Interruption Warning", with: "EC2 Instance State-change Notification")
        #expect(complaint(stateChange)?.contains("'EC2 Instance State-change Notification' is not") == true)
        let noInstance = Self.awsInterruption.replacingOccurrences(of: #""instance-id": "#, with: #""id": "#)
        #expect(complaint(noInstance) == "missing 'detail.instance-id'")
        let blank = Self.awsInterruption.replacingOccurrences(of: #""i-1234567890abcdef0","#, with: #"" ","#)
        #expect(complaint(blank) == "'detail.instance-id' is empty")
        let badTime = Self.awsInterruption.replacingOccurrences(of: "2026-11-21T15:02:11Z", with: "yesterday")
        #expect(complaint(badTime)?.contains("not an RFC 3339 timestamp") == true)
    }

    @Test("each resource of an Azure Preempt event is a preempt notice; other event types are not notices")
    func azure() throws {
        let notices = try parse(Self.azure)
        #expect(notices.map(\.instanceID) == ["vm-1", "vm-2"])
        #expect(notices.allSatisfy { $0.kind == .preempt })
        #expect(notices.first?.notBefore == RFC3339.date(from: "2016-09-19T18:29:47Z"))
        #expect(
            notices.first?.summary == "Azure Scheduled Event Preempt (EventId C7061BAC-AFDC-4513-B24B-AA5F13A16123)")
        #expect(try parse(#"{"DocumentIncarnation": 0, "Events": []}"#).isEmpty)
    }

    @Test("an Azure event that has started has an empty NotBefore; an unreadable one is refused")
    func azureNotBefore() throws {
        let started = Self.azure.replacingOccurrences(of: "Mon, 19 Sep 2016 18:29:47 GMT", with: "")
        #expect(try parse(started).map(\.notBefore) == [nil, nil])
        let bad = Self.azure.replacingOccurrences(of: "Mon, 19 Sep 2016 18:29:47 GMT", with: "soon")
        #expect(complaint(bad) == #"'Events[1].NotBefore' "soon" is not an HTTP date"#)
        let noResources = Self.azure.replacingOccurrences(of: #"["vm-1", "vm-2"]"#, with: "[]")
        #expect(complaint(noResources) == "'Events[1].Resources' is empty")
    }

    @Test("the generic form gives its action and optional not_before")
    func generic() throws {
        #expect(
            try parse(
                #"{"instance_id": "us-east-1/i-0abc", "action": "preempt", "not_before": "2026-11-21T15:04:11Z"}"#)
                == [
                    InterruptionNotice(
                        instanceID: "us-east-1/i-0abc", kind: .preempt,
                        notBefore: RFC3339.date(from: "2026-11-21T15:04:11Z"), summary: "preempt notice")
                ])
        #expect(
            try parse(#"{"instance_id": "42", "action": "rebalance", "not_before": null}"#).map(\.kind) == [.rebalance])
        #expect(
            complaint(#"{"instance_id": "42", "action": "explode"}"#)
                == #"'action' "explode" is not one of interruption, rebalance, preempt"#)
        #expect(complaint(#"{"instance_id": "42"}"#) == "missing 'action'")
        #expect(complaint(#"{"instance_id": 42, "action": "preempt"}"#)?.contains("'instance_id'") == true)
    }

    @Test("a body that is not JSON, not an object, or no known format is refused clearly")
    func unrecognized() {
        #expect(complaint("") == "empty body")
        #expect(complaint(#"{"instance_id": "#) == "not valid JSON (cut off or corrupt)")
        #expect(complaint("[1, 2]") != nil)
        #expect(complaint(#"{"hello": "world"}"#)?.hasPrefix("not a notice the broker knows") == true)
    }
}
