/// What market the simulator builds: its seed, its size, the faults each provider starts with, and
/// the spot traces it replays.
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
    /// The spot availability traces spot capacity follows; nil: spot capacity is always there.
    public var spotReplay: SpotTraceReplay?
    /// The seed of the ids launched instances get; nil: ``seed``. Real providers never hand out an
    /// id twice, and a broker keeps every id it was given: a simulated market restarted against
    /// the same broker's database must not either (`gridbroker sim` draws a fresh one each start).
    public var instanceIDSeed: UInt64?

    public init(
        seed: UInt64 = 1, totalOffers: Int = 10_000, faults: [SimulatedProvider: FaultPlan] = [:],
        instanceTimings: InstanceTimings = InstanceTimings(), spotReplay: SpotTraceReplay? = nil,
        instanceIDSeed: UInt64? = nil
    ) {
        self.seed = seed
        self.totalOffers = totalOffers
        self.faults = faults
        self.instanceTimings = instanceTimings
        self.spotReplay = spotReplay
        self.instanceIDSeed = instanceIDSeed
    }
}
