import BrokerCore
import Foundation
import GRDB

/// ``NodeRepository`` on the broker's database.
public struct SQLiteNodeRepository: NodeRepository {
    private let database: BrokerDatabase

    public init(database: BrokerDatabase) {
        self.database = database
    }

    /// `lease` is not checked: SQLite has no leases (a broker there is alone on its database). Its
    /// writes are serialized, so the budget is read and charged without another launch between.
    public func beginProvisioning(
        job id: String, nodes: [NodeRecord], at date: Date, under lease: Lease?, within budget: LaunchBudget?
    ) async throws -> JobRecord {
        try await database.pool.write { db in
            let placement = nodes.first.map {
                "\(nodes.count) × \($0.gpuCount) \($0.gpu) on \($0.providerId) \($0.region)"
            }
            let job = try db.applying(.provision, toJob: id, reason: placement.map { "provisioning " + $0 }, at: date)
            if let budget, let team = try TeamRecord.fetchOne(db, key: job.teamId), team.budget != nil {
                let jobs = try JobRecord.filter(Column("team_id") == team.id).fetchAll(db)
                let teamNodes = try NodeRecord.filter(
                    Column("launched_at") != nil || NodeState.live.rawValues.contains(Column("state"))
                )
                .filter(sql: "job_id IN (SELECT id FROM job WHERE team_id = ?)", arguments: [team.id]).fetchAll(db)
                try budget.admit(nodes, team: team, jobs: jobs, nodes: teamNodes, at: date)
            }
            for node in nodes {
                try node.insert(db)
                var event = node.requestedEvent("launch", at: date)
                try event.insert(db)
            }
            return job
        }
    }

    public func recordLaunch(node id: String, nativeInstanceID: String, launchedAt: Date, at date: Date) async throws
        -> NodeRecord
    {
        try await database.pool.write { db in
            guard var node = try NodeRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            if node.nativeInstanceId == nativeInstanceID { return node }
            node.nativeInstanceId = nativeInstanceID
            node.launchedAt = node.launchedAt ?? launchedAt
            try node.update(db)
            guard node.state == .requested else { return node }
            return try db.applying(.boot, toNode: id, reason: "instance \(nativeInstanceID) accepted", at: date)
        }
    }

    public func noteInstanceRunning(node id: String, at date: Date) async throws {
        try await database.pool.write { db in
            guard var node = try NodeRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            guard node.state == .booting, node.instanceRunningAt == nil else { return }
            node.instanceRunningAt = date
            try node.update(db, columns: ["instance_running_at"])
            var event = EventRecord(
                jobId: node.jobId, nodeId: id, providerId: node.providerId, kind: "node.instance_running",
                message:
                    "node \(node.rank): the provider runs instance \(node.nativeInstanceId ?? "?"); waiting for its agent",
                at: date)
            try event.insert(db)
        }
    }

    public func start(job id: String, ifRunning gang: [String], shards: [String: [Int]], at date: Date)
        async throws -> Bool
    {
        try await database.pool.write { db in
            let running = try NodeRecord.filter(keys: gang).filter(Column("state") == NodeState.running.rawValue)
                .fetchCount(db)
            guard running == gang.count, !gang.isEmpty else { return false }
            _ = try db.applying(.start, toJob: id, reason: "all \(gang.count) nodes running", at: date)
            if try ShardRecord.filter(Column("job_id") == id).fetchCount(db) == 0 {
                for (nodeID, indices) in shards.sorted(by: { $0.key < $1.key }) {
                    for index in indices {
                        try ShardRecord(jobID: id, index: index, nodeID: nodeID, at: date).insert(db)
                    }
                }
            }
            return true
        }
    }

    public func shards(ofJob id: String) async throws -> [ShardRecord] {
        try await database.pool.read { db in
            try ShardRecord.filter(Column("job_id") == id).order(Column("idx")).fetchAll(db)
        }
    }

    public func shardCounts(ofJob id: String) async throws -> (total: Int, done: Int) {
        try await database.pool.read { db in try db.shardCounts(ofJob: id) }
    }

    public func vanish(node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        try await database.pool.write { db in try db.losing(.vanish, node: id, reason: reason, at: date) }
    }

    public func preempt(node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        try await database.pool.write { db in try db.losing(.preempt, node: id, reason: reason, at: date) }
    }

    public func moveGang(job id: String, nodes: [String], reason: String, nodeReason: String, at date: Date)
        async throws -> JobRecord
    {
        try await database.pool.write { db in
            guard let job = try JobRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            guard job.state == .running else {
                throw StoreError.invalidTransition("job \(id) is \(job.state.rawValue), not running: nothing to move")
            }
            var event = EventRecord(jobId: id, kind: "job.market", message: reason, at: date)
            try event.insert(db)
            let running = try NodeRecord.filter(
                Column("job_id") == id && nodes.contains(Column("id")) && Column("state") == NodeState.running.rawValue
            ).order(Column("rank")).fetchAll(db)
            for node in running {
                _ = try db.applying(.preempt, toNode: node.id, reason: nodeReason, at: date)
            }
            return try db.applying(.interrupt, toJob: id, reason: reason, at: date)
        }
    }

    public func terminate(node id: String, reason: String, at date: Date) async throws -> NodeRecord {
        try await database.pool.write { db in try db.losing(.terminate, node: id, reason: reason, at: date) }
    }

    public func list(states: Set<NodeState>?, provider: String?, limit: Int, after cursor: String?) async throws
        -> [NodeRecord]
    {
        try await database.pool.read { db in
            var request = NodeRecord.all()
            if let states { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            if let provider { request = request.filter(Column("provider_id") == provider) }
            if let cursor { request = request.filter(Column("id") < cursor) }
            return try request.order(Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    public func knownNodeIDs(among ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await database.pool.read { db in
            Set(try String.fetchAll(db, NodeRecord.filter(keys: ids).select(Column("id"))))
        }
    }

    public func apply(_ event: NodeEvent, toNode id: String, reason: String?, at date: Date) async throws
        -> NodeRecord
    {
        try await database.pool.write { db in try db.applying(event, toNode: id, reason: reason, at: date) }
    }

    public func releaseGang(ofJob id: String, reason: String, at date: Date) async throws -> [NodeRecord] {
        try await database.pool.write { db in
            let terminating = try db.terminatingNodes(ofJob: id, reason: "gang released", at: date)
            _ = try db.applying(.placementFailed, toJob: id, reason: reason, at: date)
            return terminating
        }
    }

    public func finish(job id: String, with event: JobEvent, reason: String?, at date: Date) async throws -> (
        job: JobRecord, terminating: [NodeRecord]
    ) {
        try await database.pool.write { db in
            let job = try db.applying(event, toJob: id, reason: reason, at: date)
            let terminating = try db.terminatingNodes(ofJob: id, reason: "job \(job.state.rawValue)", at: date)
            return (job, terminating)
        }
    }

    public func setWaitingReason(job id: String, reason: String, at date: Date) async throws {
        try await database.pool.write { db in
            guard var job = try JobRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            // A queued job waits for a placement, a migrating one for its replacements.
            guard job.state == .queued || job.state == .migrating, job.reason != reason else { return }
            job.reason = reason
            job.updatedAt = date
            try job.update(db)
            var event = EventRecord(jobId: id, kind: "job.waiting", message: reason, at: date)
            try event.insert(db)
        }
    }

    public func nodes(ofJob id: String) async throws -> [NodeRecord] {
        try await database.pool.read { db in
            try NodeRecord.filter(Column("job_id") == id).order(Column.rowID).fetchAll(db)
        }
    }

    public func liveNodes(provider: String?) async throws -> [NodeRecord] {
        try await database.pool.read { db in
            var request = NodeRecord.filter(NodeState.live.rawValues.contains(Column("state")))
            if let provider { request = request.filter(Column("provider_id") == provider) }
            return try request.order(Column("requested_at"), Column("id")).fetchAll(db)
        }
    }

    public func recordMissing(_ missing: [String], foundAgain: [String], at date: Date) async throws {
        guard !missing.isEmpty || !foundAgain.isEmpty else { return }
        try await database.pool.write { db in
            if !missing.isEmpty {
                try NodeRecord.filter(keys: missing).filter(Column("missing_since") == nil)
                    .updateAll(db, Column("missing_since").set(to: date))
            }
            if !foundAgain.isEmpty {
                try NodeRecord.filter(keys: foundAgain).updateAll(db, Column("missing_since").set(to: nil))
            }
        }
    }

    public func node(id: String) async throws -> NodeRecord? {
        try await database.pool.read { db in try NodeRecord.fetchOne(db, key: id) }
    }

    public func accrueSpend(at now: Date) async throws {
        try await database.pool.write { db in
            let billing = try NodeRecord.filter(Column("launched_at") != nil).fetchAll(db)
            for var node in billing {
                let spend = SpendGuard.accrued(
                    price: node.pricePerHour, from: node.launchedAt, to: node.terminatedAt ?? now)
                guard spend.microdollars != node.spendMicros else { continue }
                node.spendMicros = spend.microdollars
                try node.update(db, columns: ["spend_micros"])
            }
            try db.execute(
                sql: """
                    UPDATE job SET spend_micros = (SELECT coalesce(sum(spend_micros), 0) FROM node WHERE node.job_id = job.id)
                    WHERE id IN (SELECT DISTINCT job_id FROM node WHERE launched_at IS NOT NULL);
                    UPDATE team SET spend_micros = (SELECT coalesce(sum(spend_micros), 0) FROM job WHERE job.team_id = team.id);
                    """)
        }
    }

    public func usage(team id: String, at now: Date) async throws -> UsageReport {
        try await database.pool.read { db in
            guard let team = try TeamRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "team", id: id)
            }
            let jobs = try JobRecord.filter(Column("team_id") == id).order(Column("created_at"), Column("id"))
                .fetchAll(db)
            let launched = try NodeRecord.filter(
                sql: "launched_at IS NOT NULL AND job_id IN (SELECT id FROM job WHERE team_id = ?)", arguments: [id]
            ).fetchAll(db)
            return UsageReport(team: team, jobs: jobs, launchedNodes: launched, at: now)
        }
    }

    public func recordOrphanTerminated(provider: String, nativeInstanceID: String, nodeID: String, at date: Date)
        async throws
    {
        try await database.pool.write { db in
            let node = try NodeRecord.fetchOne(db, key: nodeID)
            var event = EventRecord(
                jobId: node?.jobId, nodeId: node?.id, providerId: provider, kind: "instance.orphan_terminated",
                message: "terminated instance \(nativeInstanceID) tagged \(nodeID), which no live node owns", at: date)
            try event.insert(db)
        }
    }

    public func node(agentTokenHash tokenHash: String) async throws -> NodeRecord? {
        try await database.pool.read { db in
            try NodeRecord.filter(Column("agent_token_hash") == tokenHash).fetchOne(db)
        }
    }

    public func recordHeartbeat(_ heartbeat: Heartbeat, node id: String, at date: Date) async throws
        -> HeartbeatOutcome
    {
        try await database.pool.write { db in
            guard var node = try NodeRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "node", id: id)
            }
            node.lastHeartbeatAt = date
            node.address = heartbeat.address ?? node.address
            try node.update(db, columns: ["last_heartbeat_at", "address"])
            guard var job = try JobRecord.fetchOne(db, key: node.jobId) else {
                throw StoreError.notFound(entity: "job", id: node.jobId)
            }
            let shardsLeft = try Int.fetchAll(
                db.cachedStatement(
                    sql: "SELECT idx FROM shard WHERE job_id = ? AND node_id = ? AND state != 'done' ORDER BY idx"),
                arguments: [job.id, id])
            let plan = HeartbeatPlan(
                heartbeat, node: node, job: job, nodeShardsLeft: Set(shardsLeft),
                shards: try db.shardCounts(ofJob: job.id), at: date)
            if plan.startsNode {
                node = try db.applying(.start, toNode: id, reason: "the agent reported in", at: date)
            }
            if !plan.shardsDone.isEmpty {
                try db.execute(
                    sql: """
                        UPDATE shard SET state = 'done', progress = 1, updated_at = ?
                        WHERE job_id = ? AND idx IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [date, job.id, "[" + plan.shardsDone.map(String.init).joined(separator: ",") + "]"])
            }
            if let checkpoint = plan.checkpoint {
                job.lastCheckpointUri = checkpoint.uri
                job.lastCheckpointAt = checkpoint.completedAt
                try job.update(db, columns: ["last_checkpoint_uri", "last_checkpoint_at"])
                var event = EventRecord(
                    jobId: job.id, nodeId: id, kind: "job.checkpoint",
                    message: "node \(node.rank) checkpointed to \(checkpoint.uri)", at: date)
                try event.insert(db)
            }
            var terminating: [NodeRecord] = []
            if let outcome = plan.jobOutcome {
                job = try db.applying(outcome.event, toJob: job.id, reason: outcome.reason, at: date)
                terminating = try db.terminatingNodes(ofJob: job.id, reason: outcome.nodesReason, at: date)
            }
            let gang = try NodeRecord.filter(Column("job_id") == job.id).fetchAll(db)
            return HeartbeatOutcome(
                node: node, job: job, gang: gang, shardsLeft: shardsLeft, plan: plan, terminating: terminating)
        }
    }

    /// `lease` is not checked: SQLite has no leases.
    public func beginReplacement(job id: String, nodes: [NodeRecord], at date: Date, under lease: Lease?)
        async throws
    {
        try await database.pool.write { db in
            for node in nodes {
                try node.insert(db)
                var event = node.requestedEvent("replacement on", at: date)
                try event.insert(db)
                // The rank's unfinished shards, wherever an earlier attempt left them.
                try db.execute(
                    sql: """
                        UPDATE shard SET node_id = ?, state = 'assigned', attempts = attempts + 1, updated_at = ?
                        WHERE job_id = ? AND state != 'done'
                          AND node_id IN (SELECT id FROM node WHERE job_id = ? AND rank = ? AND id != ?)
                        """, arguments: [node.id, date, id, id, node.rank, node.id])
                guard let replaced = node.replacesNodeId else { continue }
                if let old = try NodeRecord.fetchOne(db, key: replaced),
                    old.state == .requested || old.state == .booting
                {
                    _ = try db.applying(.terminate, toNode: replaced, reason: "replaced", at: date)
                }
            }
        }
    }

    public func resume(job id: String, at date: Date) async throws -> (job: JobRecord, terminating: [NodeRecord]) {
        try await database.pool.write { db in
            let all = try NodeRecord.filter(Column("job_id") == id).order(Column.rowID).fetchAll(db)
            guard let job = try JobRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound(entity: "job", id: id)
            }
            let resumption = JobResumption(
                nodes: all.map { ($0.id, $0.rank, $0.state) }, checkpointURI: job.lastCheckpointUri,
                checkpointAt: job.lastCheckpointAt, now: date)
            let terminating = try resumption.replaced.map {
                try db.applying(.terminate, toNode: $0, reason: "replaced", at: date)
            }
            return (try db.applying(.resume, toJob: id, reason: resumption.reason, at: date), terminating)
        }
    }
}
