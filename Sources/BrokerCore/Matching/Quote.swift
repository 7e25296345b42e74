/// The answer to a job spec (`POST /v1/quotes`): the best placements, cheapest first, or why
/// there are none.
public struct Quote: Sendable, Equatable {
    /// Ranked placements, best first; each from a different (provider, region, GPU model, market)
    /// group (a different (GPU model, market) when the spec lets nodes span regions).
    public var placements: [Placement]
    /// When ``placements`` is empty, why, in numbers; nil otherwise.
    public var reason: String?

    public init(placements: [Placement], reason: String?) {
        self.placements = placements
        self.reason = reason
    }
}

/// One way to run a job: a gang of nodes, all with the same GPU model, all in one market.
public struct Placement: Sendable, Equatable {
    public var market: Market
    /// The GPU model of every node.
    public var gpu: GPUModel
    /// One entry per node, ranks 0, 1, …, cheapest offer first.
    public var nodes: [PlacedNode]
    /// The price per hour of the whole gang: the sum of its nodes' prices.
    public var pricePerHour: Money
    /// How long the work takes on this gang, when the spec says how much work there is.
    public var estimatedHours: Double?
    /// ``pricePerHour`` × ``estimatedHours``, rounded up to the micro-dollar, when the spec says
    /// how much work there is.
    public var estimatedCost: Money?

    public init(
        market: Market, gpu: GPUModel, nodes: [PlacedNode], pricePerHour: Money, estimatedHours: Double?,
        estimatedCost: Money?
    ) {
        self.market = market
        self.gpu = gpu
        self.nodes = nodes
        self.pricePerHour = pricePerHour
        self.estimatedHours = estimatedHours
        self.estimatedCost = estimatedCost
    }
}

/// One node of a placement: its rank in the gang (torchrun's `NODE_RANK`) and the offer it runs on.
/// An offer with `available` above one may appear at several ranks.
public struct PlacedNode: Sendable, Equatable {
    public var rank: Int
    public var offer: Offer

    public init(rank: Int, offer: Offer) {
        self.rank = rank
        self.offer = offer
    }
}
