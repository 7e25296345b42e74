#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Compares one provider's tagged instances with the broker's live nodes on that provider and
/// says what to do so that the two agree: the provider holds exactly the instances the broker
/// believes in, and the broker knows what the provider did.
public enum Reconciliation {
    /// What one provider's reconciliation looks at.
    public struct Inputs: Sendable {
        /// Every non-terminal node on the provider.
        public var nodes: [NodeView]
        /// Every instance the provider lists with a gridbroker tag.
        public var instances: [InstanceSighting]
        /// The tagged node ids the broker's database knows, in any state. An instance tagged with
        /// an id it never wrote belongs to another gridbroker (sharing the account) and is left alone.
        public var knownNodeIDs: Set<String>
        /// Live nodes the previous pass found missing or stopped: a second such pass means vanished.
        public var previouslyMissing: Set<String>
        /// When the listing was asked for.
        public var listedAt: Date
        /// How long a node may stay `requested` before its launch is taken as lost.
        public var launchTimeout: Duration
        /// How long after a launch the provider's listing may still miss the new instance
        /// (listings are eventually consistent).
        public var listingGrace: Duration
        /// How long a node whose agent reported before may stay silent before it counts as reclaimed.
        public var heartbeatTimeout: Duration

        public init(
            nodes: [NodeView], instances: [InstanceSighting], knownNodeIDs: Set<String>,
            previouslyMissing: Set<String> = [], listedAt: Date, launchTimeout: Duration,
            listingGrace: Duration = .seconds(60), heartbeatTimeout: Duration = .seconds(300)
        ) {
            self.nodes = nodes
            self.instances = instances
            self.knownNodeIDs = knownNodeIDs
            self.previouslyMissing = previouslyMissing
            self.listedAt = listedAt
            self.launchTimeout = launchTimeout
            self.listingGrace = listingGrace
            self.heartbeatTimeout = heartbeatTimeout
        }
    }

    public static func plan(_ inputs: Inputs) -> [ReconcileAction] {
        let live = Dictionary(inputs.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var claimed: [String: InstanceSighting] = [:]
        var actions: [ReconcileAction] = []
        for instance in inputs.instances.sorted(by: { $0.nativeID < $1.nativeID }) where instance.status != .gone {
            // An instance belongs to its node when the node recorded it, or when the node never
            // heard back from its launch; any other instance tagged with one of our nodes is an
            // orphan (a leak or a duplicate).
            if let node = live[instance.nodeID],
                node.nativeInstanceID == instance.nativeID
                    || (node.nativeInstanceID == nil && claimed[node.id] == nil)
            {
                claimed[node.id] = instance
            } else if inputs.knownNodeIDs.contains(instance.nodeID) {
                actions.append(.terminateOrphan(nativeID: instance.nativeID, nodeID: instance.nodeID))
            }
        }
        for node in inputs.nodes.sorted(by: { $0.id < $1.id }) {
            actions += plan(node: node, sighting: claimed[node.id], inputs)
        }
        return actions
    }

    private static func plan(node: NodeView, sighting: InstanceSighting?, _ inputs: Inputs) -> [ReconcileAction] {
        let sinceRequest = inputs.listedAt.timeIntervalSince(node.requestedAt)
        let sinceLaunch = inputs.listedAt.timeIntervalSince(node.launchedAt ?? node.requestedAt)
        switch node.state {
        case .requested:
            if let sighting { return [.adopt(nodeID: node.id, nativeID: sighting.nativeID)] }
            if node.nativeInstanceID == nil, sinceRequest >= inputs.launchTimeout.timeInterval {
                return [.failUnlaunched(nodeID: node.id)]
            }
            return []
        case .booting, .running, .preempting:
            if let sighting, sighting.status != .stopping {
                if let heartbeat = node.lastHeartbeatAt,
                    inputs.listedAt.timeIntervalSince(heartbeat) >= inputs.heartbeatTimeout.timeInterval
                {
                    let seconds = Int(inputs.listedAt.timeIntervalSince(heartbeat))
                    return [.markVanished(nodeID: node.id, reason: "no heartbeat from its agent for \(seconds) s")]
                }
                let firstSeenRunning =
                    sighting.status == .running && node.state == .booting && node.instanceRunningAt == nil
                return firstSeenRunning ? [.noteInstanceRunning(nodeID: node.id)] : []
            }
            if node.state == .booting, sinceLaunch < inputs.listingGrace.timeInterval { return [] }
            // One listing can be wrong (a transient error page, an instance briefly offline):
            // only a second pass in a row makes it vanished.
            guard inputs.previouslyMissing.contains(node.id) else { return [.noteMissing(nodeID: node.id)] }
            let reason =
                sighting == nil ? "the provider no longer lists the instance" : "the provider stopped the instance"
            return [.markVanished(nodeID: node.id, reason: reason)]
        case .terminating:
            if let sighting { return [.terminateAgain(nodeID: node.id, nativeID: sighting.nativeID)] }
            if let nativeID = node.nativeInstanceID {
                // Not listed (yet, or any more): ask once more, and agree only if the provider does.
                return [.terminateAgain(nodeID: node.id, nativeID: nativeID), .confirmTerminated(nodeID: node.id)]
            }
            // Never heard back from its launch: wait out the listing's lag before calling it gone.
            return sinceRequest < inputs.listingGrace.timeInterval ? [] : [.confirmTerminated(nodeID: node.id)]
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
