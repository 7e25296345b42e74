#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Compares one provider's tagged instances with the broker's live nodes on that provider and
/// says what to do so that the two agree: the provider holds exactly the instances the broker
/// believes in, and the broker knows what the provider did.
public enum Reconciliation {
    /// - Parameters:
    ///   - nodes: every non-terminal node on the provider.
    ///   - instances: every instance the provider lists with a gridbroker tag.
    ///   - launchTimeout: how long a node may stay `requested` before its launch is taken as lost.
    ///   - listingGrace: how long after a launch the provider's listing may still miss the new
    ///     instance (listings are eventually consistent) before the node counts as vanished.
    public static func plan(
        nodes: [NodeView], instances: [InstanceSighting], now: Date, launchTimeout: Duration,
        listingGrace: Duration = .seconds(60)
    ) -> [ReconcileAction] {
        let live = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var claimed: [String: InstanceSighting] = [:]
        var actions: [ReconcileAction] = []
        for instance in instances.sorted(by: { $0.nativeID < $1.nativeID }) where instance.status != .gone {
            // An instance belongs to its node when the node recorded it, or when the node never
            // heard back from its launch; any other tagged instance is an orphan (a leak or a duplicate).
            if let node = live[instance.nodeID],
                node.nativeInstanceID == instance.nativeID
                    || (node.nativeInstanceID == nil && claimed[node.id] == nil)
            {
                claimed[node.id] = instance
            } else {
                actions.append(.terminateOrphan(nativeID: instance.nativeID, nodeID: instance.nodeID))
            }
        }
        for node in nodes.sorted(by: { $0.id < $1.id }) {
            actions += plan(
                node: node, sighting: claimed[node.id], now: now, launchTimeout: launchTimeout,
                listingGrace: listingGrace)
        }
        return actions
    }

    private static func plan(
        node: NodeView, sighting: InstanceSighting?, now: Date, launchTimeout: Duration, listingGrace: Duration
    ) -> [ReconcileAction] {
        switch node.state {
        case .requested:
            if let sighting { return [.adopt(nodeID: node.id, nativeID: sighting.nativeID)] }
            if node.nativeInstanceID == nil, now.timeIntervalSince(node.requestedAt) >= launchTimeout.timeInterval {
                return [.failUnlaunched(nodeID: node.id)]
            }
            return []
        case .booting, .running, .preempting:
            guard let sighting else {
                let launched = node.launchedAt ?? node.requestedAt
                if node.state == .booting, now.timeIntervalSince(launched) < listingGrace.timeInterval { return [] }
                return [.markVanished(nodeID: node.id, reason: "the provider no longer lists the instance")]
            }
            switch sighting.status {
            case .running where node.state == .booting: return [.markRunning(nodeID: node.id)]
            case .stopping: return [.markVanished(nodeID: node.id, reason: "the provider stopped the instance")]
            default: return []
            }
        case .terminating:
            guard let sighting else { return [.confirmTerminated(nodeID: node.id)] }
            return [.terminateAgain(nodeID: node.id, nativeID: sighting.nativeID)]
        case .terminated, .failed:
            return []
        }
    }
}

/// An instance as the reconciler sees it (the provider's status folded further).
public struct InstanceSighting: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case pending, running, stopping
        /// Terminated: listed by the provider for a while, no longer billing.
        case gone
    }

    public var nativeID: String
    public var nodeID: String
    public var status: Status

    public init(nativeID: String, nodeID: String, status: Status) {
        self.nativeID = nativeID
        self.nodeID = nodeID
        self.status = status
    }
}
