#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// When a node that should be coming up is given up: its provider did not run its instance within
/// the launch timeout (from the broker's request), or ran it but its agent did not report in within
/// the boot timeout (from when the instance was first seen running: a failed boot, such as an image
/// that never starts the agent or a node that cannot reach the broker).
public enum LaunchStall {
    /// Why `node` is stuck at `now`, for its job's timeline; nil while it is within its time (or is
    /// not coming up at all).
    public static func reason(_ node: NodeView, now: Date, launchTimeout: Duration, bootTimeout: Duration) -> String? {
        guard node.state == .requested || node.state == .booting else { return nil }
        if let running = node.instanceRunningAt {
            guard now.timeIntervalSince(running) >= bootTimeout.timeInterval else { return nil }
            return "failed boot: its agent never reported within \(Int(bootTimeout.timeInterval)) s of the "
                + "instance running"
        }
        guard now.timeIntervalSince(node.requestedAt) >= launchTimeout.timeInterval else { return nil }
        return "its launch made no progress in \(Int(launchTimeout.timeInterval)) s"
    }
}
