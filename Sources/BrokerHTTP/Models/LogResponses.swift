import Broker
import BrokerCore
import Foundation
import NIOCore

/// One line of a node's output as the API shows it.
public struct LogLineResponse: Codable, Sendable {
    /// When the broker received it: unique within the job, the `since` to read on after it.
    public var at: String
    public var nodeId: String
    public var rank: Int
    public var stream: NodeLogLine.Stream
    public var text: String

    init(_ entry: NodeLogStore.Entry) {
        at = Self.time(ofStamp: entry.line.stamp)
        nodeId = entry.nodeID
        rank = entry.rank
        stream = entry.line.stream
        text = entry.line.text
    }

    /// A stamp as RFC 3339 with exactly its microseconds, so that `since` reads it back exactly.
    static func time(ofStamp stamp: Int64) -> String {
        let seconds = stamp.quotientAndRemainder(dividingBy: 1_000_000)
        let (whole, micros) = seconds.remainder < 0 ? (seconds.quotient - 1, seconds.remainder + 1_000_000) : seconds
        let text = RFC3339.string(from: Date(timeIntervalSince1970: Double(whole)))
        let digits = String(micros)
        return text.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    enum CodingKeys: String, CodingKey {
        case at, rank, stream, text
        case nodeId = "node_id"
    }
}

/// The answer to `GET /v1/jobs/{id}/logs`.
public struct LogListResponse: Codable, Sendable {
    public var lines: [LogLineResponse]

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
