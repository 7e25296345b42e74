import Broker
import BrokerCore
import Foundation
import Store

/// An owner pool, as the admin API shows it.
public struct PoolResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var country: String
    public var region: String
    public var market: String
    public var minNoticeS: Int
    public var pricePerGpuHour: Double
    public var gpuPrices: [String: Double]
    public var enabled: Bool
    public var createdAt: Date

    init(_ pool: PoolRecord) {
        let terms = pool.terms
        id = pool.id
        name = pool.name
        country = pool.country
        region = pool.region
        market = pool.market.rawValue
        minNoticeS = pool.minNoticeS
        pricePerGpuHour = terms.defaultPricePerGPUHour.dollars
        gpuPrices = terms.pricePerGPUHour.mapValues(\.dollars)
        enabled = pool.enabled
        createdAt = pool.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, country, region, market, enabled
        case minNoticeS = "min_notice_s"
        case pricePerGpuHour = "price_per_gpu_hour"
        case gpuPrices = "gpu_prices"
        case createdAt = "created_at"
    }
}

/// `GET /v1/admin/pools`.
public struct PoolListResponse: Codable, Sendable {
    public var pools: [PoolResponse]
}

/// A pool's join token, without its secret.
public struct JoinTokenResponse: Codable, Sendable, Equatable {
    public var id: String
    public var pool: String
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?

    init(_ token: PoolJoinTokenRecord) {
        id = token.id
        pool = token.poolId
        name = token.name
        createdAt = token.createdAt
        revokedAt = token.revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, pool, name
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(pool, forKey: .pool)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(revokedAt, forKey: .revokedAt)  // null: in force
    }
}

/// `GET /v1/admin/pools/{id}/join-tokens`.
public struct JoinTokenListResponse: Codable, Sendable {
    public var tokens: [JoinTokenResponse]
}

/// `POST /v1/admin/pools/{id}/join-tokens`: the token's fields and, this once, the secret.
public struct IssuedJoinTokenResponse: Codable, Sendable {
    public var token: String
    public var info: JoinTokenResponse

    public func encode(to encoder: any Encoder) throws {
        try info.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(token, forKey: .token)
    }

    public init(from decoder: any Decoder) throws {
        info = try JoinTokenResponse(from: decoder)
        token = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .token)
    }

    init(token: String, info: JoinTokenResponse) {
        self.token = token
        self.info = info
    }

    private enum Key: String, CodingKey { case token }
}

/// `GET /v1/admin/pools/{id}/usage`: what the pool's machines sold, in all and per machine.
public struct PoolUsageResponse: Codable, Sendable {
    public struct Line: Codable, Sendable {
        public var machine: String?
        public var nodes: Int
        public var gpuHours: Double
        public var earnedUsd: Double

        init(machine: String?, _ line: PoolEarnings.Line) {
            self.machine = machine
            nodes = line.nodes
            gpuHours = (line.gpuHours * 1000).rounded() / 1000
            earnedUsd = line.earned.dollars
        }

        enum CodingKeys: String, CodingKey {
            case machine, nodes
            case gpuHours = "gpu_hours"
            case earnedUsd = "earned_usd"
        }
    }

    public var pool: String
    public var nodes: Int
    public var gpuHours: Double
    public var earnedUsd: Double
    public var machines: [Line]

    init(pool: String, earnings: PoolEarnings) {
        let total = Line(machine: nil, earnings.total)
        self.pool = pool
        nodes = total.nodes
        gpuHours = total.gpuHours
        earnedUsd = total.earnedUsd
        machines = earnings.byMachine.sorted { $0.key < $1.key }.map { Line(machine: $0.key, $0.value) }
    }

    enum CodingKeys: String, CodingKey {
        case pool, nodes, machines
        case gpuHours = "gpu_hours"
        case earnedUsd = "earned_usd"
    }
}
