/// How long simulated instances take to boot and to shut down, and how long a terminated one
/// stays listed before it disappears, as the real APIs keep them for a while.
public struct InstanceTimings: Sendable, Hashable {
    /// From launch until the instance runs (pending, booting, loading).
    public var bootSeconds: Double
    /// From terminate until the instance is terminated (terminating, shutting-down, deleting);
    /// its capacity comes back at the end of it.
    public var shutdownSeconds: Double
    /// How long a terminated instance is still listed.
    public var retainSeconds: Double

    public init(bootSeconds: Double = 20, shutdownSeconds: Double = 5, retainSeconds: Double = 600) {
        self.bootSeconds = bootSeconds
        self.shutdownSeconds = shutdownSeconds
        self.retainSeconds = retainSeconds
    }

    /// The timings `provider` uses: Vast and RunPod remove a destroyed instance at once, with no
    /// shutting-down phase and no terminated record.
    func applied(to provider: SimulatedProvider) -> InstanceTimings {
        switch provider {
        case .vast, .runpod:
            InstanceTimings(bootSeconds: bootSeconds, shutdownSeconds: 0, retainSeconds: 0)
        case .lambda, .aws, .shadeform:
            self
        }
    }
}
