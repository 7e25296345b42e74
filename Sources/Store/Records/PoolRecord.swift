import BrokerCore
import Foundation
import GRDB

/// An owner pool as stored: machines an owner lends, sold on the pool's terms. Its id is also its
/// provider id.
public struct PoolRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pool"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var name: String
    /// ISO 3166 alpha-2.
    public var country: String
    public var region: String
    public var market: Market
    public var minNoticeS: Int
    public var pricePerGpuHourMicros: Int64
    /// JSON: model name → micro-USD per GPU-hour.
    public var gpuPrices: String
    public var enabled: Bool
    public var createdAt: Date
    public var deletedAt: Date?

    public init(id: String, name: String, country: String, region: String, terms: PoolTerms, createdAt: Date) {
        self.id = id
        self.name = name
        self.country = country
        self.region = region
        self.market = terms.market
        self.minNoticeS = terms.minNoticeSeconds
        self.pricePerGpuHourMicros = terms.defaultPricePerGPUHour.microdollars
        let prices = terms.pricePerGPUHour.mapValues(\.microdollars)
        self.gpuPrices = (try? JSONEncoder().encode(prices)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        self.enabled = true
        self.createdAt = createdAt
        self.deletedAt = nil
    }

    /// What the pool sells at.
    public var terms: PoolTerms {
        let prices = (try? JSONDecoder().decode([String: Int64].self, from: Data(gpuPrices.utf8))) ?? [:]
        return PoolTerms(
            market: market, minNoticeSeconds: minNoticeS,
            defaultPricePerGPUHour: Money(microdollars: pricePerGpuHourMicros),
            pricePerGPUHour: prices.mapValues(Money.init(microdollars:)))
    }
}

/// A token that lets machines join a pool: never the token itself, only its SHA-256 (hex).
public struct PoolJoinTokenRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pool_join_token"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var poolId: String
    public var name: String
    public var tokenHash: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, poolId: String, name: String, tokenHash: String, createdAt: Date) {
        self.id = id
        self.poolId = poolId
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.revokedAt = nil
    }
}

/// A machine that joined a pool: what it said of itself, and when it last heartbeat. Never its
/// token, only the token's SHA-256 (hex).
public struct PoolMachineRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pool_machine"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var poolId: String
    public var joinTokenId: String
    public var name: String
    public var gpu: String
    public var gpuCount: Int
    public var gpuMemoryGb: Int
    public var vcpus: Int
    public var memoryGb: Int
    public var diskGb: Int
    public var tokenHash: String
    public var registeredAt: Date
    public var lastHeartbeatAt: Date

    public init(
        id: String, poolId: String, joinTokenId: String, registration: MachineRegistration, tokenHash: String,
        at date: Date
    ) {
        self.id = id
        self.poolId = poolId
        self.joinTokenId = joinTokenId
        self.name = registration.name
        self.gpu = registration.gpu.name
        self.gpuCount = registration.gpuCount
        self.gpuMemoryGb = registration.gpuMemoryGB
        self.vcpus = registration.vcpus
        self.memoryGb = registration.memoryGB
        self.diskGb = registration.diskGB
        self.tokenHash = tokenHash
        self.registeredAt = date
        self.lastHeartbeatAt = date
    }
}
