import Broker
import BrokerCore
import Foundation
import Store

/// One job as the API shows it: its spec, state and why, its nodes, shards and spend.
public struct JobResponse: Decodable, Sendable {
    public struct Node: Codable, Sendable {
        public var id: String
        public var rank: Int
        public var state: String
        public var reason: String?
        public var provider: String
        public var offerId: String
        public var instanceId: String?
        public var market: String
        public var gpu: String
        public var gpuCount: Int
        public var region: String
        /// What the node pays per hour, fixed at launch; its spend is counted at it.
        public var pricePerHour: Double
        /// Its spot bid per hour, when it bid.
        public var bidPerHour: Double?
        public var spendUsd: Double
        public var requestedAt: Date
        public var launchedAt: Date?
        public var terminatedAt: Date?

        init(_ node: NodeRecord, now: Date) {
            id = node.id
            rank = node.rank
            state = node.state.rawValue
            reason = node.reason
            provider = node.providerId
            offerId = node.offerId
            instanceId = node.nativeInstanceId
            market = node.market.rawValue
            gpu = node.gpu
            gpuCount = node.gpuCount
            region = node.region
            pricePerHour = node.pricePerHour.dollars
            bidPerHour = node.bid?.dollars
            spendUsd = node.spend(at: now).dollars
            requestedAt = node.requestedAt
            launchedAt = node.launchedAt
            terminatedAt = node.terminatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, rank, state, reason, provider, market, gpu, region
            case offerId = "offer_id"
            case instanceId = "instance_id"
            case gpuCount = "gpu_count"
            case pricePerHour = "price_per_hour"
            case bidPerHour = "bid_per_hour"
            case spendUsd = "spend_usd"
            case requestedAt = "requested_at"
            case launchedAt = "launched_at"
            case terminatedAt = "terminated_at"
        }
    }

    public struct Shards: Codable, Sendable {
        public var total: Int
        public var done: Int
    }

    public var id: String
    /// The owning team's id.
    public var team: String
    public var name: String
    public var state: String
    public var reason: String?
    public var priority: Int
    /// The spec as the API writes it; nil when read back by a client (only the server can
    /// validate a spec) or when the stored spec no longer decodes (written as `null`).
    public var spec: JobSpecCache.Entry?
    public var nodes: [Node]
    public var shards: Shards
    public var spendUsd: Double
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    /// `nodes` empty leaves them out (lists); otherwise spend is brought up to `now` from them.
    /// `shards` are the stored counts (none before the job starts: then the spec's total).
    init(
        _ job: JobRecord, spec: JobSpecCache.Entry?, nodes: [NodeRecord], now: Date,
        shards: (total: Int, done: Int)? = nil
    ) {
        id = job.id
        team = job.teamId
        name = job.name
        state = job.state.rawValue
        reason = job.reason
        priority = job.priority
        self.spec = spec
        self.nodes = nodes.map { Node($0, now: now) }
        self.shards =
            if let shards, shards.total > 0 {
                Shards(total: shards.total, done: shards.done)
            } else {
                Shards(total: spec?.shards ?? 0, done: 0)
            }
        spendUsd = max(job.spend, nodes.reduce(.zero) { $0 + $1.spend(at: now) }).dollars
        createdAt = job.createdAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, team, name, state, reason, priority, spec, nodes, shards
        case spendUsd = "spend_usd"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// Reads a job back (the CLI); the spec is left out, as only the server can validate it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        team = try container.decode(String.self, forKey: .team)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decode(String.self, forKey: .state)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        priority = try container.decode(Int.self, forKey: .priority)
        spec = nil
        nodes = try container.decode([Node].self, forKey: .nodes)
        shards = try container.decode(Shards.self, forKey: .shards)
        spendUsd = try container.decode(Double.self, forKey: .spendUsd)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(Date.self, forKey: .finishedAt)
    }
}

extension JobResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("team")
        writer.string(team)
        writer.key("name")
        writer.string(name)
        writer.key("state")
        writer.string(state)
        writer.key("reason")
        writer.optional(reason) { $0.string($1) }  // null, not absent: clients read it
        writer.key("priority")
        writer.int(priority)
        writer.key("spec")
        writer.optional(spec) { $0.json($1.json) }
        writer.key("nodes")
        writer.array(nodes) { $1.write(to: &$0) }
        writer.key("shards")
        writer.beginObject()
        writer.key("total")
        writer.int(shards.total)
        writer.key("done")
        writer.int(shards.done)
        writer.endObject()
        writer.key("spend_usd")
        writer.double(spendUsd)
        writer.key("created_at")
        writer.date(createdAt)
        writer.key("started_at")
        writer.optional(startedAt) { $0.date($1) }
        writer.key("finished_at")
        writer.optional(finishedAt) { $0.date($1) }
        writer.endObject()
    }
}

extension JobResponse.Node {
    /// As the Codable encoding writes it: members without a value are left out.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("rank")
        writer.int(rank)
        writer.key("state")
        writer.string(state)
        if let reason {
            writer.key("reason")
            writer.string(reason)
        }
        writer.key("provider")
        writer.string(provider)
        writer.key("offer_id")
        writer.string(offerId)
        if let instanceId {
            writer.key("instance_id")
            writer.string(instanceId)
        }
        writer.key("market")
        writer.string(market)
        writer.key("gpu")
        writer.string(gpu)
        writer.key("gpu_count")
        writer.int(gpuCount)
        writer.key("region")
        writer.string(region)
        writer.key("price_per_hour")
        writer.double(pricePerHour)
        if let bidPerHour {
            writer.key("bid_per_hour")
            writer.double(bidPerHour)
        }
        writer.key("spend_usd")
        writer.double(spendUsd)
        writer.key("requested_at")
        writer.date(requestedAt)
        if let launchedAt {
            writer.key("launched_at")
            writer.date(launchedAt)
        }
        if let terminatedAt {
            writer.key("terminated_at")
            writer.date(terminatedAt)
        }
        writer.endObject()
    }
}

/// `GET /v1/jobs`: a page of jobs, newest first, without their nodes.
public struct JobListResponse: Decodable, Sendable {
    public var jobs: [JobResponse]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case jobs
        case nextCursor = "next_cursor"
    }
}

extension JobListResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("jobs")
        writer.array(jobs) { $1.write(to: &$0) }
        writer.key("next_cursor")
        writer.optional(nextCursor) { $0.string($1) }
        writer.endObject()
    }
}
