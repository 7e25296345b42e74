import BrokerCore

/// One node the broker asks a provider for.
public struct LaunchRequest: Sendable, Equatable {
    /// The broker's node id; the instance is tagged with it (see ``InstanceTag``).
    public var nodeID: String
    /// The offer to launch; its native id says which machine, instance type or bundle.
    public var offer: Offer
    /// The container image to run.
    public var image: String
    /// The job's command; the node agent runs it (see ``NodeBoot``).
    public var command: [String]
    /// Environment for the command: the job's variables and the gang's, never a secret.
    public var environment: [String: String]
    /// The node's own token, for its agent only: it travels inside the boot script (virtual
    /// machines) or the container's environment, never on a command line.
    public var agentToken: String
    /// Where the agent comes from.
    public var agent: AgentDelivery
    /// Disk to ask for, when the job says.
    public var diskGB: Int?
    /// The spot bid per hour for the whole instance (``SpotBid/maximum``); nil for none.
    public var bid: Money?

    public init(
        nodeID: String, offer: Offer, image: String, command: [String], environment: [String: String] = [:],
        agentToken: String, agent: AgentDelivery, diskGB: Int? = nil, bid: Money? = nil
    ) {
        self.nodeID = nodeID
        self.offer = offer
        self.image = image
        self.command = command
        self.environment = environment
        self.agentToken = agentToken
        self.agent = agent
        self.diskGB = diskGB
        self.bid = bid
    }
}
