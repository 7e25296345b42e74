/// What market the simulator builds: its seed, its size, and the faults each provider starts with.
public struct MarketConfiguration: Sendable {
    /// The seed of every random choice; the same seed (and the same clock time) gives identical
    /// answers.
    public var seed: UInt64
    /// About how many offers the market holds across all providers (at least the few dozen the
    /// fixed catalogs of RunPod and Lambda need); most are Vast machines.
    public var totalOffers: Int
    /// Faults per provider at start-up; change them at run time through the control API.
    public var faults: [SimulatedProvider: FaultPlan]
    /// How long launched instances take to boot and to shut down.
    public var instanceTimings: InstanceTimings

    public init(
        seed: UInt64 = 1, totalOffers: Int = 10_000, faults: [SimulatedProvider: FaultPlan] = [:],
        instanceTimings: InstanceTimings = InstanceTimings()
    ) {
        self.seed = seed
        self.totalOffers = totalOffers
        self.faults = faults
        self.instanceTimings = instanceTimings
    }
}
