/// An instance as a provider reports it.
public struct ProviderInstance: Sendable, Equatable {
    /// The provider's id for the instance (Vast contract id, RunPod pod id, EC2 instance id, ...).
    public var nativeID: String
    /// The broker node id read back from the instance's tag.
    public var nodeID: String
    public var status: InstanceStatus

    public init(nativeID: String, nodeID: String, status: InstanceStatus) {
        self.nativeID = nativeID
        self.nodeID = nodeID
        self.status = status
    }
}

/// A provider's instance states, folded into what the broker acts on.
public enum InstanceStatus: String, Sendable, Hashable, CaseIterable {
    /// Accepted, not yet running (Vast `loading`, Lambda `booting`, EC2 `pending`, ...).
    case pending
    case running
    /// Being stopped or terminated, or stopped by the provider (Vast `exited`, EC2
    /// `shutting-down`/`stopped`): not working, possibly still billing.
    case stopping
    /// Gone; no longer billing.
    case terminated
}
