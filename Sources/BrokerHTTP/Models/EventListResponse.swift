import Foundation
import Store

/// `GET /v1/jobs/{id}/events`: the job's timeline, oldest first.
public struct EventListResponse: Codable, Sendable {
    public struct Event: Codable, Sendable {
        public var id: Int64
        public var at: Date
        public var kind: String
        public var nodeId: String?
        public var fromState: String?
        public var toState: String?
        public var message: String

        enum CodingKeys: String, CodingKey {
            case id, at, kind, message
            case nodeId = "node_id"
            case fromState = "from_state"
            case toState = "to_state"
        }
    }

    public var events: [Event]

    init(_ records: [EventRecord]) {
        events = records.map { record in
            Event(
                id: record.id ?? 0, at: record.at, kind: record.kind, nodeId: record.nodeId,
                fromState: record.fromState, toState: record.toState, message: record.message)
        }
    }
}
