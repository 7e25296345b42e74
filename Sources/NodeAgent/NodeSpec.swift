/// What a virtual machine's boot script hands the node agent (`gridbroker-agent run --spec FILE`),
/// in a file only root can read: how to reach the broker, the node's secret token, and the job's
/// command with its environment. With ``image``, the agent runs the command in that container
/// (`docker run`); the token never reaches the command, nor any process list.
public struct NodeSpec: Codable, Equatable, Sendable {
    /// The broker's base URL.
    public var broker: String
    public var token: String
    public var nodeID: String
    /// The container image to run the command in; nil runs it directly.
    public var image: String?
    public var command: [String]
    /// The job's variables for the command (the agent adds the gang's own).
    public var environment: [String: String]
    /// Seconds between heartbeats, as the broker wants them; nil leaves the agent's default.
    public var intervalSeconds: Double?

    public init(
        broker: String, token: String, nodeID: String, image: String?, command: [String],
        environment: [String: String], intervalSeconds: Double? = nil
    ) {
        self.intervalSeconds = intervalSeconds
        self.broker = broker
        self.token = token
        self.nodeID = nodeID
        self.image = image
        self.command = command
        self.environment = environment
    }

    enum CodingKeys: String, CodingKey {
        case broker, token, image, command, environment
        case nodeID = "node_id"
        case intervalSeconds = "interval_s"
    }
}
