import Broker
import BrokerCore
import Foundation
import NIOCore

/// One line of a node's output as the API shows it.
struct LogLineResponse: Codable, Sendable {
    /// When the broker received it: unique within the job, the `since` to read on after it.
    var at: String
    var nodeId: String
    var rank: Int
    var stream: NodeLogLine.Stream
    var text: String

    init(_ entry: NodeLogStore.Entry) {
        at = RFC3339.string(from: entry.line.date)
        nodeId = entry.nodeID
        rank = entry.rank
        stream = entry.line.stream
        text = entry.line.text
    }

    enum CodingKeys: String, CodingKey {
        case at, rank, stream, text
        case nodeId = "node_id"
    }
}

/// The answer to `GET /v1/jobs/{id}/logs`.
struct LogListResponse: Codable, Sendable {
    var lines: [LogLineResponse]

    init(_ entries: [NodeLogStore.Entry]) {
        lines = entries.map(LogLineResponse.init)
    }
}

/// The events of `GET /v1/jobs/{id}/logs?follow=true` (`text/event-stream`).
enum ServerSentEvent {
    /// `event: line`, the line as JSON, its `at` as the event id.
    static func line(_ entry: NodeLogStore.Entry) -> ByteBuffer {
        let line = LogLineResponse(entry)
        let json = (try? JSONEncoder().encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "id: \(line.at)\nevent: line\ndata: \(json)\n\n")
    }

    /// `event: end`: the job ended and its output is complete.
    static let end = ByteBuffer(string: "event: end\ndata: {}\n\n")

    /// A comment, ignored by clients.
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")
}
