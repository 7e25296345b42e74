/// Something that happens to a node and may change its ``NodeState``. Raw values name the events
/// in the timeline and in ``InvalidTransition``.
public enum NodeEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// The provider accepted the request; the instance is booting.
    case boot
    /// The node's agent reported in; the node is working.
    case start
    /// A reclaim notice arrived (webhook, provider API, or missed heartbeats).
    case preempt
    /// The broker asked the provider to terminate the instance (job done, cancelled, or reclaimed).
    case terminate
    /// The provider confirmed the instance is gone.
    case confirmTerminated = "confirm_terminated"
    /// The instance disappeared (reclaimed, stopped, lost) before the broker terminated it.
    case vanish
    /// Provisioning failed.
    case fail
}
