#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the scheduler's and the reconciler's decisions need to know of a node.
public struct NodeView: Sendable, Equatable {
    public var id: String
    public var jobID: String
    public var rank: Int
    public var providerID: String
    public var state: NodeState
    /// The provider's instance id, once the provider accepted the launch.
    public var nativeInstanceID: String?
    /// When the broker recorded its intent to launch.
    public var requestedAt: Date
    /// When the provider accepted the launch.
    public var launchedAt: Date?
    /// The agent's last heartbeat; nil while it never reported.
    public var lastHeartbeatAt: Date?
    /// When the provider was first seen running the node's instance (its agent's boot timeout
    /// counts from here).
    public var instanceRunningAt: Date?

    public init(
        id: String, jobID: String, rank: Int, providerID: String, state: NodeState, nativeInstanceID: String?,
        requestedAt: Date, launchedAt: Date?, lastHeartbeatAt: Date? = nil, instanceRunningAt: Date? = nil
    ) {
        self.instanceRunningAt = instanceRunningAt
        self.id = id
        self.jobID = jobID
        self.rank = rank
        self.providerID = providerID
        self.state = state
        self.nativeInstanceID = nativeInstanceID
        self.requestedAt = requestedAt
        self.launchedAt = launchedAt
        self.lastHeartbeatAt = lastHeartbeatAt
    }
}
