import BrokerCore
import Foundation

/// Where jobs' nodes live, and the compound changes of a job and its nodes that must happen in
/// one transaction (the intent to launch, a gang's release, a job's end).
public protocol NodeRepository: Sendable {
    /// Moves a queued job to provisioning and stores its nodes as `requested`: the broker's intent,
    /// written before any provider is called. Under `lease` (brokers sharing the database), only
    /// while that lease is still in force with its token; otherwise ``StoreError/leaseLost(_:)``
    /// and nothing is written, so a scheduler that lost its lease launches nothing. With `budget`,
    /// only if the job's team has room for the nodes (checked with the team locked, so launches
    /// at once are counted one after the other); otherwise ``StoreError/overBudget(_:)`` and
    /// nothing is written.
    func beginProvisioning(
        job id: String, nodes: [NodeRecord], at: Date, under lease: Lease?, within budget: LaunchBudget?
    ) async throws -> JobRecord
    /// Records the provider's instance for a node and moves it to booting (if it is still
    /// requested: a node cancelled meanwhile keeps its state, and now its instance id). Billing
    /// counts from `launchedAt` (an adopted instance was created near the intent, not when found).
    func recordLaunch(node id: String, nativeInstanceID: String, launchedAt: Date, at: Date) async throws -> NodeRecord
    /// Records that the provider runs a booting node's instance (the first time it is seen so),
    /// with an event: its agent's boot timeout counts from here. Any other node is left as it is.
    func noteInstanceRunning(node id: String, at: Date) async throws
    /// Starts a provisioning job, provided the nodes `gang` are all still running: checked in the
    /// same transaction, so a node that vanished meanwhile cannot leave a running job short of it.
    /// The job's shards are handed out in the same transaction (`shards`: node id → shard indices)
    /// unless it has shards already. Returns whether it started.
    func start(job id: String, ifRunning gang: [String], shards: [String: [Int]], at: Date) async throws -> Bool
    /// The job's shards, by index.
    func shards(ofJob id: String) async throws -> [ShardRecord]
    /// How many shards the job has, and how many are done.
    func shardCounts(ofJob id: String) async throws -> (total: Int, done: Int)
    /// Marks a node's instance gone without the broker terminating it and, in the same
    /// transaction, moves its job to migrating when it was running.
    func vanish(node id: String, reason: String, at: Date) async throws -> NodeRecord
    /// Marks a running node as being reclaimed (a notice) and, in the same transaction, moves its
    /// running job to migrating.
    func preempt(node id: String, reason: String, at: Date) async throws -> NodeRecord
    /// A planned migration of a running job (`market: auto` changing market): a `job.market` event
    /// with `reason`, each of `nodes` that runs to preempting with `nodeReason` (the gang checkpoints and their ranks
    /// are replaced), and the job to migrating, in one transaction. The old nodes bill until the
    /// replacements run and the job resumes, then are terminated.
    func moveGang(job id: String, nodes: [String], reason: String, nodeReason: String, at: Date) async throws
        -> JobRecord
    /// Sends a node to terminating on an operator's word (the reconciler then terminates its
    /// instance) and, in the same transaction, moves its running job to migrating so the rank is
    /// replaced. A node already terminating or gone is an ``StoreError/invalidTransition(_:)``.
    func terminate(node id: String, reason: String, at: Date) async throws -> NodeRecord
    /// Nodes of every job, newest first, optionally only those in `states` or of `provider`,
    /// after the node `cursor` (the last id of the previous page).
    func list(states: Set<NodeState>?, provider: String?, limit: Int, after cursor: String?) async throws
        -> [NodeRecord]
    /// Which of `ids` are nodes this database ever stored.
    func knownNodeIDs(among ids: [String]) async throws -> Set<String>
    func apply(_ event: NodeEvent, toNode id: String, reason: String?, at: Date) async throws -> NodeRecord
    /// Gives up a provisioning job's gang: its live nodes go to terminating and the job back to
    /// queued with `reason`. Returns the nodes to terminate.
    func releaseGang(ofJob id: String, reason: String, at: Date) async throws -> [NodeRecord]
    /// Ends a job (`cancel`, `fail`, `succeed`) and sends its live nodes to terminating, in one
    /// transaction. Returns the job and the nodes to terminate.
    func finish(job id: String, with event: JobEvent, reason: String?, at: Date) async throws -> (
        job: JobRecord, terminating: [NodeRecord]
    )
    /// Sets why a queued job waits for a placement, or a migrating one for its replacements; writes
    /// (and records an event) only when the reason changed.
    func setWaitingReason(job id: String, reason: String, at: Date) async throws
    /// Every node the job ever had, in the order they were requested.
    func nodes(ofJob id: String) async throws -> [NodeRecord]
    /// Every node not yet terminated or failed, of one provider or all.
    func liveNodes(provider: String?) async throws -> [NodeRecord]
    /// Records what a look at a provider's instances found: the nodes `missing` from it are
    /// missing since `date` (or since they first were), those `foundAgain` are missing no more.
    func recordMissing(_ missing: [String], foundAgain: [String], at date: Date) async throws
    func node(id: String) async throws -> NodeRecord?
    /// Brings every node's, job's and team's spend up to `now` from the nodes' launch-time prices.
    func accrueSpend(at now: Date) async throws
    /// A team's spend up to `now`, by job and by provider, from the nodes' launch-time prices
    /// (read only: nothing is written).
    func usage(team id: String, at now: Date) async throws -> UsageReport
    /// Records on the timeline that an instance tagged with `nodeID` that the broker did not
    /// believe in was terminated (on the node's and its job's timeline when the node is known).
    func recordOrphanTerminated(provider: String, nativeInstanceID: String, nodeID: String, at: Date) async throws
    /// The node whose agent token hashes to `tokenHash`.
    func node(agentTokenHash tokenHash: String) async throws -> NodeRecord?
    /// Takes in a heartbeat, in one transaction: the node's first one starts it, finished shards are
    /// marked done (only the node's own), a newer checkpoint is kept on the job, the job succeeds
    /// when every shard is done and fails when a node's command exits with an error.
    func recordHeartbeat(_ heartbeat: Heartbeat, node id: String, at: Date) async throws -> HeartbeatOutcome
    /// Stores replacement nodes for a migrating job (each with `replacesNodeId` set) and, in the
    /// same transaction, hands its rank's unfinished shards to each replacement; replaced nodes
    /// still launching are sent to terminating. Under `lease`, as ``beginProvisioning(job:nodes:at:under:)``.
    func beginReplacement(job id: String, nodes: [NodeRecord], at: Date, under lease: Lease?) async throws
    /// Resumes a migrating job whose ranks all run again: nodes that are no longer their rank's
    /// newest go to terminating, and the work lost (time since the last checkpoint) is recorded.
    func resume(job id: String, at: Date) async throws -> (job: JobRecord, terminating: [NodeRecord])
}

extension NodeRepository {
    /// ``beginProvisioning(job:nodes:at:under:within:)`` by a broker alone on its database, without
    /// a budget check.
    public func beginProvisioning(job id: String, nodes: [NodeRecord], at date: Date) async throws -> JobRecord {
        try await beginProvisioning(job: id, nodes: nodes, at: date, under: nil, within: nil)
    }

    /// ``beginReplacement(job:nodes:at:under:)`` by a broker alone on its database.
    public func beginReplacement(job id: String, nodes: [NodeRecord], at date: Date) async throws {
        try await beginReplacement(job: id, nodes: nodes, at: date, under: nil)
    }
}
