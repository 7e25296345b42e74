#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A training job as a team submits it: what to run, on which GPUs, where, in which market, by
/// when and for how much. Mirrors the JSON job spec of the API field for field.
///
/// Read it with ``decode(json:catalog:now:)``, which is strict and reports every problem at once;
/// encode it back to the same JSON shape with `JSONEncoder` (money as decimal dollars, the deadline
/// as an RFC 3339 timestamp), which ``decode(json:catalog:now:)`` reads back to an equal value.
public struct JobSpec: Sendable, Equatable {
    /// A human name for the job, 1 to ``Limits/maxNameLength`` characters.
    public var name: String
    public var resources: Resources
    public var placement: Placement
    public var market: MarketChoice
    /// The most the whole job may cost per hour, all nodes together.
    public var maxPricePerHour: Money?
    /// The most the whole job may cost (`budget_usd`).
    public var budget: Money?
    /// When the work must be done.
    public var deadline: Date?
    /// How much work there is, so placements can be ranked by cost to finish.
    public var work: Work?
    public var dataset: Dataset?
    public var checkpoint: Checkpoint?
    /// The container image the nodes run.
    public var image: String
    /// The training command and its arguments; never empty.
    public var command: [String]
    /// Environment variables for the command.
    public var env: [String: String]

    public init(
        name: String,
        resources: Resources,
        placement: Placement = Placement(),
        market: MarketChoice = .auto,
        maxPricePerHour: Money? = nil,
        budget: Money? = nil,
        deadline: Date? = nil,
        work: Work? = nil,
        dataset: Dataset? = nil,
        checkpoint: Checkpoint? = nil,
        image: String,
        command: [String],
        env: [String: String] = [:]
    ) {
        self.name = name
        self.resources = resources
        self.placement = placement
        self.market = market
        self.maxPricePerHour = maxPricePerHour
        self.budget = budget
        self.deadline = deadline
        self.work = work
        self.dataset = dataset
        self.checkpoint = checkpoint
        self.image = image
        self.command = command
        self.env = env
    }
}

extension JobSpec {
    /// Which market the job's nodes may use.
    public enum MarketChoice: String, Sendable, Hashable, Codable, CaseIterable {
        case spot
        case onDemand = "on_demand"
        /// The broker decides per node, and may switch, to meet the deadline at least cost.
        case auto
    }

    /// The bounds ``decode(json:catalog:now:)`` enforces beyond "positive".
    public enum Limits {
        public static let maxNameLength = 128
        public static let maxNodes = 1024
        public static let maxGPUsPerNode = 16
        public static let maxShards = 10_000_000
        /// A week.
        public static let maxCheckpointIntervalMinutes = 10_080
        public static let maxGPUHours = 1e9
        /// The bound on each `resources.min_*` amount (GB, vCPUs).
        public static let maxResourceAmount = 1_000_000
        /// Environment variables the node agent sets for torchrun's rendezvous; a spec may not set them.
        public static let reservedEnvironmentVariables: Set<String> = [
            "NODE_RANK", "NNODES", "MASTER_ADDR", "MASTER_PORT", "GPUS_PER_NODE",
        ]
    }
}
