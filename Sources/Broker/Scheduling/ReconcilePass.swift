import BrokerCore

/// What one reconciliation did, for logs and tests.
public struct ReconcilePass: Sendable, Equatable {
    /// Every action taken, by provider.
    public var actions: [String: [ReconcileActionTaken]] = [:]
    /// Providers whose instances could not be listed (nothing was decided for them), with the error.
    public var unreachable: [String: String] = [:]
    /// Whether some node was booting, terminating or missing: worth looking again soon.
    public var inTransition = false

    public init() {}

    /// Whether a node's instance started running, was adopted, vanished or failed to launch.
    public var changedNodes: Bool {
        actions.values.joined().contains { taken in
            switch taken.action {
            case .noteInstanceRunning, .markVanished, .adopt, .failUnlaunched: taken.error == nil
            default: false
            }
        }
    }
}

/// An action of ``BrokerCore/ReconcileAction`` and whether carrying it out worked.
public struct ReconcileActionTaken: Sendable, Equatable {
    public var action: ReconcileAction
    /// Nil when it worked; the error otherwise (it is tried again next pass).
    public var error: String?
}
