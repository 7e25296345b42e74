#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One thing a provider sells: a machine with `gpuCount` GPUs at a price per hour, in a region and
/// a market, as last seen in the provider's pricing API.
public struct Offer: Sendable, Hashable {
    public var id: OfferID
    public var gpu: GPUName
    public var gpuCount: Int
    /// Memory per GPU, in GB.
    public var gpuMemoryGB: Int
    /// How the GPUs are connected, as the provider says it ("nvlink", "pcie", "infiniband", "sxm"),
    /// when it says.
    public var interconnect: String?
    public var vcpus: Int
    /// System memory, in GB.
    public var memoryGB: Int
    public var diskGB: Int
    /// The provider's region name, e.g. "us-east-1".
    public var region: String
    /// ISO 3166-1 alpha-2 country code, e.g. "US"; nil when the provider does not say where.
    public var country: String?
    public var market: Market
    /// The price per hour for the whole offer (all its GPUs).
    public var pricePerHour: Money
    /// How many such machines can be had now.
    public var available: Int
    /// The provider's reliability score, 0...1, when it publishes one.
    public var reliability: Double?
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    /// The provider's record for this offer, as JSON text, for debugging.
    public var raw: String?

    public init(
        id: OfferID,
        gpu: GPUName,
        gpuCount: Int,
        gpuMemoryGB: Int,
        interconnect: String?,
        vcpus: Int,
        memoryGB: Int,
        diskGB: Int,
        region: String,
        country: String?,
        market: Market,
        pricePerHour: Money,
        available: Int,
        reliability: Double?,
        firstSeenAt: Date,
        lastSeenAt: Date,
        raw: String?
    ) {
        self.id = id
        self.gpu = gpu
        self.gpuCount = gpuCount
        self.gpuMemoryGB = gpuMemoryGB
        self.interconnect = interconnect
        self.vcpus = vcpus
        self.memoryGB = memoryGB
        self.diskGB = diskGB
        self.region = region
        self.country = country
        self.market = market
        self.pricePerHour = pricePerHour
        self.available = available
        self.reliability = reliability
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.raw = raw
    }

    /// The provider's configured id (the first part of ``id``).
    public var providerID: String { id.provider }

    /// The price per GPU-hour: ``pricePerHour`` divided by ``gpuCount``, truncated toward zero to
    /// the micro-dollar (so it is never more than the true share). An offer with no GPUs counts as one.
    public var pricePerGPUHour: Money {
        Money(microdollars: pricePerHour.microdollars / Int64(max(gpuCount, 1)))
    }
}
