import BrokerCore
import Foundation

/// What a team spent (`GET /v1/usage`), from the nodes' launch-time prices.
public struct UsageReport: Sendable, Equatable {
    public struct JobLine: Sendable, Equatable {
        public var id: String
        public var name: String
        public var state: JobState
        public var spend: Money
        /// The sum of the prices of its nodes that are still billing.
        public var burnPerHour: Money
    }

    public struct ProviderLine: Sendable, Equatable {
        public var provider: String
        public var spend: Money
        /// Nodes launched there.
        public var nodes: Int
    }

    public var teamID: String
    public var teamName: String
    public var budget: Money?
    public var spend: Money
    public var jobs: [JobLine]
    public var providers: [ProviderLine]

    /// The report of `team` at `now`, from its `jobs` (oldest first) and every node of theirs that
    /// launched: each figure is at least the stored one (the last accounting pass) and otherwise
    /// counted up to `now` at the nodes' launch-time prices.
    public init(team: TeamRecord, jobs: [JobRecord], launchedNodes launched: [NodeRecord], at now: Date) {
        let byJob = Dictionary(grouping: launched, by: \.jobId)
        let lines = jobs.map { job in
            let nodes = byJob[job.id] ?? []
            return JobLine(
                id: job.id, name: job.name, state: job.state,
                spend: max(job.spend, nodes.reduce(.zero) { $0 + $1.spend(at: now) }),
                burnPerHour: nodes.filter { $0.state.isBilling }.reduce(.zero) { $0 + $1.pricePerHour })
        }
        teamID = team.id
        teamName = team.name
        budget = team.budget
        spend = max(team.spend, lines.reduce(.zero) { $0 + $1.spend })
        self.jobs = lines
        providers = Dictionary(grouping: launched, by: \.providerId).sorted { $0.key < $1.key }.map { provider, nodes in
            ProviderLine(provider: provider, spend: nodes.reduce(.zero) { $0 + $1.spend(at: now) }, nodes: nodes.count)
        }
    }
}
