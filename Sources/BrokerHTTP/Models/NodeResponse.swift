import Foundation
import Store

/// A node with its job, for `/v1/admin/nodes`: the job answer's node fields plus `job_id`.
public struct NodeResponse: Codable, Sendable {
    public var jobId: String
    public var node: JobResponse.Node

    init(_ node: NodeRecord, now: Date) {
        jobId = node.jobId
        self.node = JobResponse.Node(node, now: now)
    }

    public init(from decoder: any Decoder) throws {
        jobId = try decoder.container(keyedBy: JobKey.self).decode(String.self, forKey: .jobId)
        node = try JobResponse.Node(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JobKey.self)
        try container.encode(jobId, forKey: .jobId)
        try node.encode(to: encoder)
    }

    private enum JobKey: String, CodingKey {
        case jobId = "job_id"
    }
}

/// `GET /v1/admin/nodes`: a page of nodes, newest first.
public struct NodeListResponse: Codable, Sendable {
    public var nodes: [NodeResponse]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case nodes
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
