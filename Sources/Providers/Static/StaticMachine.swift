import BrokerCore

/// A machine of a static pool (on-premise or idle company GPUs), as its owner lists it in the
/// config file.
public struct StaticMachine: Sendable, Equatable {
    /// Unique within the pool; the offer's native id.
    public var name: String
    public var gpu: GPUModel
    public var gpus: Int
    public var vcpus: Int
    public var memoryGB: Int
    public var diskGB: Int
    public var region: String
    /// ISO 3166 alpha-2.
    public var country: String
    public var market: Market
    /// What the owner asks for the whole machine per hour.
    public var pricePerHour: Money
    /// How many identical machines.
    public var count: Int

    public init(
        name: String, gpu: GPUModel, gpus: Int, vcpus: Int, memoryGB: Int, diskGB: Int, region: String,
        country: String, market: Market, pricePerHour: Money, count: Int
    ) {
        self.name = name
        self.gpu = gpu
        self.gpus = gpus
        self.vcpus = vcpus
        self.memoryGB = memoryGB
        self.diskGB = diskGB
        self.region = region
        self.country = country
        self.market = market
        self.pricePerHour = pricePerHour
        self.count = count
    }
}
