import BrokerCore

/// One node the broker asks a provider for.
public struct LaunchRequest: Sendable, Equatable {
    /// The broker's node id; the instance is tagged with it (see ``InstanceTag``).
    public var nodeID: String
    /// The offer to launch; its native id says which machine, instance type or bundle.
    public var offer: Offer
    /// The container image to run.
    public var image: String
    /// The command the node runs (the agent wrapping the job's command).
    public var command: [String]
    /// Environment for the command (never credentials of the broker).
    public var environment: [String: String]
    /// Disk to ask for, when the job says.
    public var diskGB: Int?

    public init(
        nodeID: String, offer: Offer, image: String, command: [String], environment: [String: String] = [:],
        diskGB: Int? = nil
    ) {
        self.nodeID = nodeID
        self.offer = offer
        self.image = image
        self.command = command
        self.environment = environment
        self.diskGB = diskGB
    }

    /// For a spot offer, the bid for the whole instance per hour: the offer's price.
    public var bid: Money? { offer.market == .spot ? offer.pricePerHour : nil }
}
