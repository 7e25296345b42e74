/// What the reconciler does after comparing a provider's instances with the broker's nodes.
public enum ReconcileAction: Sendable, Equatable {
    /// An instance tagged with a node that is not live: terminate it (nothing may bill unseen).
    case terminateOrphan(nativeID: String, nodeID: String)
    /// A node whose launch answer was lost (a crash between the provider's answer and the
    /// database write): its instance exists, record it.
    case adopt(nodeID: String, nativeID: String)
    /// A node whose launch never reached the provider, past its timeout: it has no instance.
    case failUnlaunched(nodeID: String)
    /// The provider shows the booting node's instance running, for the first time: its agent has
    /// ``Reconciliation/Inputs/bootTimeout`` from now to report in (the node runs once it does).
    case noteInstanceRunning(nodeID: String)
    /// The node's instance is missing from the listing or stopped, for the first pass in a row.
    case noteMissing(nodeID: String)
    /// The node's instance is gone (or stopped) without the broker terminating it, two passes in a row.
    case markVanished(nodeID: String, reason: String)
    /// The node is being terminated and the provider still shows its instance: ask again.
    case terminateAgain(nodeID: String, nativeID: String)
    /// The node is being terminated and the provider agrees it is gone (carried out only if a
    /// `terminateAgain` for the node just before it succeeded).
    case confirmTerminated(nodeID: String)
}
