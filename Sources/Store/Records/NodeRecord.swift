import BrokerCore
import Foundation
import GRDB

/// A node as stored: one machine of a job, from the broker's intent to launch it until the
/// provider confirms it is gone. Its price is what it pays, fixed at launch, never re-read.
public struct NodeRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "node"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var jobId: String
    public var rank: Int
    public var providerId: String
    public var offerId: String
    /// The provider's instance id, once the provider accepted the launch.
    public var nativeInstanceId: String?
    public var market: Market
    public var gpu: String
    public var gpuCount: Int
    public var region: String
    /// The price per hour it pays, fixed at launch (the ask, or the bid where the provider charges
    /// the bid): the snapshot every cost report uses.
    public var pricePerHourMicros: Int64
    /// The spot bid per hour; nil for none (on-demand, or the provider's own limit).
    public var bidMicros: Int64?
    public var state: NodeState
    public var reason: String?
    public var replacesNodeId: String?
    public var agentTokenHash: String?
    public var spendMicros: Int64
    public var requestedAt: Date
    public var launchedAt: Date?
    public var lastHeartbeatAt: Date?
    public var terminatedAt: Date?
    /// The address the node's agent reported (for the gang's rendezvous).
    public var address: String?
    /// When the provider was first seen running its instance.
    public var instanceRunningAt: Date?
    /// When the reconciler first found its instance missing or stopped, while it still is (nil:
    /// found at the last look, or never looked for).
    public var missingSince: Date?

    /// The intent to launch `offer` as rank `rank` of `jobID` with `bid` (none: the ask, no bid),
    /// stored before the provider is called.
    public init(id: String, jobID: String, rank: Int, offer: Offer, bid: SpotBid? = nil, requestedAt: Date) {
        self.id = id
        self.jobId = jobID
        self.rank = rank
        self.providerId = offer.id.provider
        self.offerId = offer.id.description
        self.nativeInstanceId = nil
        self.market = offer.market
        self.gpu = offer.gpu.name
        self.gpuCount = offer.gpuCount
        self.region = offer.region
        self.pricePerHourMicros = (bid?.paid ?? offer.pricePerHour).microdollars
        self.bidMicros = bid?.maximum?.microdollars
        self.state = .requested
        self.reason = nil
        self.replacesNodeId = nil
        self.agentTokenHash = nil
        self.spendMicros = 0
        self.requestedAt = requestedAt
        self.launchedAt = nil
        self.lastHeartbeatAt = nil
        self.terminatedAt = nil
        self.address = nil
        self.instanceRunningAt = nil
        self.missingSince = nil
    }

    public var pricePerHour: Money { Money(microdollars: pricePerHourMicros) }
    public var bid: Money? { bidMicros.map(Money.init(microdollars:)) }
    public var spend: Money { Money(microdollars: spendMicros) }

    /// Spend up to `now` at the launch-time price (the stored figure is only as fresh as the last
    /// accounting pass; billing ends when the provider confirmed the node gone).
    public func spend(at now: Date) -> Money {
        max(spend, SpendGuard.accrued(price: pricePerHour, from: launchedAt, to: terminatedAt ?? now))
    }

    /// What the scheduler's and the reconciler's decisions see of this node.
    public var view: NodeView {
        NodeView(
            id: id, jobID: jobId, rank: rank, providerID: providerId, state: state, nativeInstanceID: nativeInstanceId,
            requestedAt: requestedAt, launchedAt: launchedAt, lastHeartbeatAt: lastHeartbeatAt,
            instanceRunningAt: instanceRunningAt)
    }
}

extension NodeState: DatabaseValueConvertible {}
extension Market: DatabaseValueConvertible {}
