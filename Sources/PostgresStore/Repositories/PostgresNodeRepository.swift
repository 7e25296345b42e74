import BrokerCore
import Foundation
import PostgresNIO
import Store

/// ``Store/NodeRepository`` on PostgreSQL: each compound change in one transaction, with the rows
/// it decides on locked (`FOR UPDATE`), so two brokers changing one job or node take turns.
public struct PostgresNodeRepository: NodeRepository {
    private let database: PostgresBrokerDatabase

    public init(database: PostgresBrokerDatabase) {
        self.database = database
    }

    public func beginProvisioning(
        job id: String, nodes: [NodeRecord], at date: Date, under lease: Lease?, within budget: LaunchBudget?
    ) async throws -> JobRecord {
        try await database.transaction { connection in
            try await connection.holding(lease, at: date)
            let placement = nodes.first.map {
                "\(nodes.count) × \($0.gpuCount) \($0.gpu) on \($0.providerId) \($0.region)"
            }
            // The job's row is locked first, then its team's (the accountant's order too).
            let job = try await connection.applying(
                .provision, toJob: id, reason: placement.map { "provisioning " + $0 }, at: date)
            if let budget,
                let team = try await connection.rows("SELECT * FROM team WHERE id = \(job.teamId) FOR UPDATE").first
                    .map({ try $0.record(TeamRecord.self) }),
                team.budget != nil
            {
                let jobs = try await connection.rows("SELECT * FROM job WHERE team_id = \(team.id)")
                let teamNodes = try await connection.rows(
                    """
                    SELECT * FROM node WHERE (launched_at IS NOT NULL OR state = ANY(\(NodeState.live.rawValues)))
                      AND job_id IN (SELECT id FROM job WHERE team_id = \(team.id))
                    """)
                try budget.admit(
                    nodes, team: team, jobs: try jobs.map { try $0.record(JobRecord.self) },
                    nodes: try teamNodes.map { try $0.record(NodeRecord.self) }, at: date)
            }
            for node in nodes {
                try await connection.insert(node, into: "node")
                try await connection.insert(node.requestedEvent("launch", at: date))
            }
            return job
        }
    }

    public func recordLaunch(node id: String, nativeInstanceID: String, launchedAt: Date, at date: Date) async throws
        -> NodeRecord
    {
        try await database.transaction { connection in
            guard var node = try await connection.node(id: id, locked: true) else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            if node.nativeInstanceId == nativeInstanceID { return node }
            node.nativeInstanceId = nativeInstanceID
            node.launchedAt = node.launchedAt ?? launchedAt
            try await connection.run(
                """
                UPDATE node SET native_instance_id = \(nativeInstanceID), launched_at = \(node.launchedAt)
                WHERE id = \(id)
                """)
            guard node.state == .requested else { return node }
            return try await connection.applying(
                .boot, toNode: id, reason: "instance \(nativeInstanceID) accepted", at: date)
        }
    }

    public func noteInstanceRunning(node id: String, at date: Date) async throws {
        try await database.transaction { connection in
            guard let node = try await connection.node(id: id, locked: true) else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            guard node.state == .booting, node.instanceRunningAt == nil else { return }
            try await connection.run("UPDATE node SET instance_running_at = \(date) WHERE id = \(id)")
            try await connection.insert(
                EventRecord(
                    jobId: node.jobId, nodeId: id, providerId: node.providerId, kind: "node.instance_running",
                    message: "node \(node.rank): the provider runs instance \(node.nativeInstanceId ?? "?"); "
                        + "waiting for its agent",
                    at: date))
        }
    }

    public func start(job id: String, ifRunning gang: [String], shards: [String: [Int]], at date: Date)
        async throws -> Bool
    {
        try await database.transaction { connection in
            guard !gang.isEmpty else { return false }
            let running = try await connection.rows(
                """
                SELECT id FROM node WHERE id = ANY(\(gang)) AND state = \(NodeState.running.rawValue) FOR UPDATE
                """)
            guard running.count == gang.count else { return false }
            _ = try await connection.applying(.start, toJob: id, reason: "all \(gang.count) nodes running", at: date)
            guard try await connection.shardCounts(ofJob: id).total == 0 else { return true }
            let assignments = shards.sorted { $0.key < $1.key }.flatMap { node, indices in indices.map { (node, $0) } }
            try await connection.run(
                """
                INSERT INTO shard (job_id, idx, state, node_id, progress, attempts, updated_at)
                SELECT \(id), shard.idx, 'assigned', shard.node_id, 0, 1, \(date)
                FROM unnest(\(assignments.map(\.0))::text[], \(assignments.map(\.1))::bigint[]) AS shard(node_id, idx)
                """)
            return true
        }
    }

    public func shards(ofJob id: String) async throws -> [ShardRecord] {
        try await database.rows("SELECT * FROM shard WHERE job_id = \(id) ORDER BY idx")
            .map { try $0.record(ShardRecord.self) }
    }

    public func shardCounts(ofJob id: String) async throws -> (total: Int, done: Int) {
        try await database.withConnection { try await $0.shardCounts(ofJob: id) }
    }

    public func vanish(node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        try await database.transaction { try await $0.losing(.vanish, node: id, reason: reason, at: date) }
    }

    public func preempt(node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        try await database.transaction { try await $0.losing(.preempt, node: id, reason: reason, at: date) }
    }

    public func moveGang(job id: String, nodes: [String], reason: String, nodeReason: String, at date: Date)
        async throws -> JobRecord
    {
        try await database.transaction { connection in
            guard let job = try await connection.job(id: id, locked: true) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            guard job.state == .running else {
                throw StoreError.invalidTransition("job \(id) is \(job.state.rawValue), not running: nothing to move")
            }
            try await connection.insert(EventRecord(jobId: id, kind: "job.market", message: reason, at: date))
            let running = try await connection.rows(
                """
                SELECT id FROM node WHERE job_id = \(id) AND id = ANY(\(nodes)) AND state = \(NodeState.running.rawValue)
                ORDER BY rank
                """)
            for row in running {
                _ = try await connection.applying(
                    .preempt, toNode: try row.decode(String.self), reason: nodeReason, at: date)
            }
            return try await connection.applying(.interrupt, toJob: id, reason: reason, at: date)
        }
    }

    public func terminate(node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        try await database.transaction { try await $0.losing(.terminate, node: id, reason: reason, at: date) }
    }

    public func list(states: Set<NodeState>?, provider: String?, limit: Int, after cursor: String?) async throws
        -> [NodeRecord]
    {
        let stateNames = states?.rawValues
        return try await database.rows(
            """
            SELECT * FROM node
            WHERE (\(stateNames)::text[] IS NULL OR state = ANY(\(stateNames)))
              AND (\(provider)::text IS NULL OR provider_id = \(provider))
              AND (\(cursor)::text IS NULL OR id < \(cursor))
            ORDER BY id DESC LIMIT \(limit)
            """
        ).map { try $0.record(NodeRecord.self) }
    }

    public func knownNodeIDs(among ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return Set(
            try await database.rows("SELECT id FROM node WHERE id = ANY(\(ids))").map { try $0.decode(String.self) })
    }

    public func apply(_ event: NodeEvent, toNode id: String, reason: String?, at date: Date) async throws
        -> NodeRecord
    {
        try await database.transaction { try await $0.applying(event, toNode: id, reason: reason, at: date) }
    }

    public func releaseGang(ofJob id: String, reason: String, at date: Date) async throws -> [NodeRecord] {
        try await database.transaction { connection in
            let terminating = try await connection.terminatingNodes(ofJob: id, reason: "gang released", at: date)
            _ = try await connection.applying(.placementFailed, toJob: id, reason: reason, at: date)
            return terminating
        }
    }

    public func finish(job id: String, with event: JobEvent, reason: String?, at date: Date) async throws -> (
        job: JobRecord, terminating: [NodeRecord]
    ) {
        try await database.transaction { connection in
            let job = try await connection.applying(event, toJob: id, reason: reason, at: date)
            let terminating = try await connection.terminatingNodes(
                ofJob: id, reason: "job \(job.state.rawValue)", at: date)
            return (job, terminating)
        }
    }

    public func setWaitingReason(job id: String, reason: String, at date: Date) async throws {
        try await database.transaction { connection in
            guard let job = try await connection.job(id: id, locked: true) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            // A queued job waits for a placement, a migrating one for its replacements.
            guard job.state == .queued || job.state == .migrating, job.reason != reason else { return }
            try await connection.run("UPDATE job SET reason = \(reason), updated_at = \(date) WHERE id = \(id)")
            try await connection.insert(EventRecord(jobId: id, kind: "job.waiting", message: reason, at: date))
        }
    }

    public func nodes(ofJob id: String) async throws -> [NodeRecord] {
        try await database.rows("SELECT * FROM node WHERE job_id = \(id) ORDER BY seq")
            .map { try $0.record(NodeRecord.self) }
    }

    public func liveNodes(provider: String?) async throws -> [NodeRecord] {
        try await database.rows(
            """
            SELECT * FROM node WHERE state = ANY(\(NodeState.live.rawValues))
              AND (\(provider)::text IS NULL OR provider_id = \(provider))
            ORDER BY requested_at, id
            """
        ).map { try $0.record(NodeRecord.self) }
    }

    public func recordMissing(_ missing: [String], foundAgain: [String], at date: Date) async throws {
        guard !missing.isEmpty || !foundAgain.isEmpty else { return }
        try await database.transaction { connection in
            try await connection.run(
                "UPDATE node SET missing_since = \(date) WHERE id = ANY(\(missing)) AND missing_since IS NULL")
            try await connection.run("UPDATE node SET missing_since = NULL WHERE id = ANY(\(foundAgain))")
        }
    }

    public func node(id: String) async throws -> NodeRecord? {
        try await database.withConnection { try await $0.node(id: id) }
    }

    public func accrueSpend(at now: Date) async throws {
        try await database.transaction { connection in
            let billing = try await connection.rows("SELECT * FROM node WHERE launched_at IS NOT NULL FOR UPDATE")
                .map { try $0.record(NodeRecord.self) }
            let changed = billing.compactMap { node -> (String, Int64)? in
                let spend = SpendGuard.accrued(
                    price: node.pricePerHour, from: node.launchedAt, to: node.terminatedAt ?? now)
                return spend.microdollars == node.spendMicros ? nil : (node.id, spend.microdollars)
            }
            try await connection.run(
                """
                UPDATE node SET spend_micros = accrued.spend
                FROM unnest(\(changed.map(\.0))::text[], \(changed.map(\.1))::bigint[]) AS accrued(id, spend)
                WHERE node.id = accrued.id
                """)
            try await connection.run(
                """
                UPDATE job SET spend_micros = (SELECT coalesce(sum(spend_micros), 0) FROM node WHERE node.job_id = job.id)
                WHERE id IN (SELECT DISTINCT job_id FROM node WHERE launched_at IS NOT NULL)
                """)
            try await connection.run(
                """
                UPDATE team SET spend_micros = (SELECT coalesce(sum(spend_micros), 0) FROM job WHERE job.team_id = team.id)
                """)
        }
    }

    public func usage(team id: String, at now: Date) async throws -> UsageReport {
        // One snapshot: the team, its jobs and their nodes as of the same moment.
        try await database.transaction(.snapshot) { connection in
            guard let team = try await connection.rows("SELECT * FROM team WHERE id = \(id)").first else {
                throw StoreError.notFound(entity: "team", id: id)
            }
            let jobs = try await connection.rows("SELECT * FROM job WHERE team_id = \(id) ORDER BY created_at, id")
            let launched = try await connection.rows(
                """
                SELECT * FROM node WHERE launched_at IS NOT NULL AND job_id IN (SELECT id FROM job WHERE team_id = \(id))
                """)
            return UsageReport(
                team: try team.record(TeamRecord.self), jobs: try jobs.map { try $0.record(JobRecord.self) },
                launchedNodes: try launched.map { try $0.record(NodeRecord.self) }, at: now)
        }
    }

    public func recordOrphanTerminated(provider: String, nativeInstanceID: String, nodeID: String, at date: Date)
        async throws
    {
        try await database.transaction { connection in
            let node = try await connection.node(id: nodeID)
            try await connection.insert(
                EventRecord(
                    jobId: node?.jobId, nodeId: node?.id, providerId: provider, kind: "instance.orphan_terminated",
                    message: "terminated instance \(nativeInstanceID) tagged \(nodeID), which no live node owns",
                    at: date))
        }
    }

    public func node(agentTokenHash tokenHash: String) async throws -> NodeRecord? {
        try await database.rows("SELECT * FROM node WHERE agent_token_hash = \(tokenHash)").first
            .map { try $0.record(NodeRecord.self) }
    }

    public func recordHeartbeat(_ heartbeat: Heartbeat, node id: String, at date: Date) async throws
        -> HeartbeatOutcome
    {
        try await database.transaction { connection in
            // The job first, then the node: the order every compound change of a job locks in.
            guard let jobID = try await connection.node(id: id)?.jobId else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            guard var job = try await connection.job(id: jobID, locked: true) else {
                throw StoreError.notFound(entity: "job", id: jobID)
            }
            guard var node = try await connection.node(id: id, locked: true) else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            node.lastHeartbeatAt = date
            node.address = heartbeat.address ?? node.address
            try await connection.run(
                "UPDATE node SET last_heartbeat_at = \(date), address = \(node.address) WHERE id = \(id)")
            let shardsLeft = try await connection.rows(
                "SELECT idx FROM shard WHERE job_id = \(job.id) AND node_id = \(id) AND state <> 'done' ORDER BY idx"
            ).map { Int(try $0.decode(Int32.self)) }
            let plan = HeartbeatPlan(
                heartbeat, node: node, job: job, nodeShardsLeft: Set(shardsLeft),
                shards: try await connection.shardCounts(ofJob: job.id), at: date)
            if plan.startsNode {
                node = try await connection.applying(.start, toNode: id, reason: "the agent reported in", at: date)
            }
            if !plan.shardsDone.isEmpty {
                try await connection.run(
                    """
                    UPDATE shard SET state = 'done', progress = 1, updated_at = \(date)
                    WHERE job_id = \(job.id) AND idx = ANY(\(plan.shardsDone.map(Int64.init))::bigint[])
                    """)
            }
            if let checkpoint = plan.checkpoint {
                job.lastCheckpointUri = checkpoint.uri
                job.lastCheckpointAt = checkpoint.completedAt
                try await connection.run(
                    """
                    UPDATE job SET last_checkpoint_uri = \(checkpoint.uri), last_checkpoint_at = \(checkpoint.completedAt)
                    WHERE id = \(job.id)
                    """)
                try await connection.insert(
                    EventRecord(
                        jobId: job.id, nodeId: id, kind: "job.checkpoint",
                        message: "node \(node.rank) checkpointed to \(checkpoint.uri)", at: date))
            }
            var terminating: [NodeRecord] = []
            if let outcome = plan.jobOutcome {
                job = try await connection.applying(outcome.event, toJob: job.id, reason: outcome.reason, at: date)
                terminating = try await connection.terminatingNodes(
                    ofJob: job.id, reason: outcome.nodesReason, at: date)
            }
            let gang = try await connection.rows("SELECT * FROM node WHERE job_id = \(job.id)")
                .map { try $0.record(NodeRecord.self) }
            return HeartbeatOutcome(
                node: node, job: job, gang: gang, shardsLeft: shardsLeft, plan: plan, terminating: terminating)
        }
    }

    public func beginReplacement(job id: String, nodes: [NodeRecord], at date: Date, under lease: Lease?)
        async throws
    {
        try await database.transaction { connection in
            try await connection.holding(lease, at: date)
            _ = try await connection.job(id: id, locked: true)
            for node in nodes {
                try await connection.insert(node, into: "node")
                try await connection.insert(node.requestedEvent("replacement on", at: date))
                // The rank's unfinished shards, wherever an earlier attempt left them.
                try await connection.run(
                    """
                    UPDATE shard SET node_id = \(node.id), state = 'assigned', attempts = attempts + 1, updated_at = \(date)
                    WHERE job_id = \(id) AND state <> 'done'
                      AND node_id IN (SELECT id FROM node WHERE job_id = \(id) AND rank = \(node.rank) AND id <> \(node.id))
                    """)
                guard let replaced = node.replacesNodeId,
                    let old = try await connection.node(id: replaced, locked: true),
                    old.state == .requested || old.state == .booting
                else { continue }
                _ = try await connection.applying(.terminate, toNode: replaced, reason: "replaced", at: date)
            }
        }
    }

    public func resume(job id: String, at date: Date) async throws -> (job: JobRecord, terminating: [NodeRecord]) {
        try await database.transaction { connection in
            guard let job = try await connection.job(id: id, locked: true) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            let all = try await connection.rows("SELECT * FROM node WHERE job_id = \(id) ORDER BY seq FOR UPDATE")
                .map { try $0.record(NodeRecord.self) }
            let resumption = JobResumption(
                nodes: all.map { ($0.id, $0.rank, $0.state) }, checkpointURI: job.lastCheckpointUri,
                checkpointAt: job.lastCheckpointAt, now: date)
            var terminating: [NodeRecord] = []
            for replaced in resumption.replaced {
                terminating.append(
                    try await connection.applying(.terminate, toNode: replaced, reason: "replaced", at: date))
            }
            return (try await connection.applying(.resume, toJob: id, reason: resumption.reason, at: date), terminating)
        }
    }
}
