import BrokerCore
import Foundation
import Store

/// One job as the API shows it: its spec, state and why, its nodes, shards and spend.
public struct JobResponse: Codable, Sendable {
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
    public var spec: JobSpec?
    public var nodes: [Node]
    public var shards: Shards
    public var spendUsd: Double
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    /// `nodes` empty leaves them out (lists); otherwise spend is brought up to `now` from them.
    /// `shards` are the stored counts (none before the job starts: then the spec's total).
    init(
        _ job: JobRecord, nodes: [NodeRecord], catalog: GPUCatalog, now: Date, shards: (total: Int, done: Int)? = nil
    ) {
        id = job.id
        team = job.teamId
        name = job.name
        state = job.state.rawValue
        reason = job.reason
        priority = job.priority
        spec = try? job.decodedSpec(catalog: catalog)
        self.nodes = nodes.map { Node($0, now: now) }
        self.shards =
            if let shards, shards.total > 0 {
                Shards(total: shards.total, done: shards.done)
            } else {
                Shards(total: spec?.dataset?.shards ?? 0, done: 0)
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(team, forKey: .team)
        try container.encode(name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(reason, forKey: .reason)  // null, not absent: clients read it
        try container.encode(priority, forKey: .priority)
        try container.encode(spec, forKey: .spec)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(shards, forKey: .shards)
        try container.encode(spendUsd, forKey: .spendUsd)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }
}

/// `GET /v1/jobs`: a page of jobs, newest first, without their nodes.
public struct JobListResponse: Codable, Sendable {
    public var jobs: [JobResponse]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case jobs
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
