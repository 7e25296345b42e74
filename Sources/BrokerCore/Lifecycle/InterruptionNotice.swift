#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A provider's word that it is taking an instance back, or may soon: what a webhook delivers,
/// whatever the provider's format.
public struct InterruptionNotice: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The instance will be stopped or terminated (AWS's two-minute Spot warning).
        case interruption
        /// The risk of an interruption is raised; nothing is scheduled yet (AWS's rebalance
        /// recommendation).
        case rebalance
        /// The instance is being evicted (Azure's `Preempt` scheduled event).
        case preempt

        /// Whether the node is going: interruption and preempt are; a rebalance is only a warning.
        public var reclaims: Bool { self != .rebalance }
    }

    /// The provider's own instance id as the notice names it (an EC2 `i-…`, an Azure VM name).
    public var instanceID: String
    public var kind: Kind
    /// When the provider may act, when the notice says.
    public var notBefore: Date?
    /// What the notice was, for the timeline: "EC2 Spot Instance Interruption Warning (terminate)".
    public var summary: String

    public init(instanceID: String, kind: Kind, notBefore: Date?, summary: String) {
        self.instanceID = instanceID
        self.kind = kind
        self.notBefore = notBefore
        self.summary = summary
    }
}
