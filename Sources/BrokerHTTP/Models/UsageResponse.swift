import Store

/// `GET /v1/usage`: what the team spent, by job and by provider, in decimal USD.
public struct UsageResponse: Codable, Sendable {
    public struct Job: Codable, Sendable {
        public var id: String
        public var name: String
        public var state: String
        public var spendUsd: Double
        public var burnPerHour: Double

        enum CodingKeys: String, CodingKey {
            case id, name, state
            case spendUsd = "spend_usd"
            case burnPerHour = "burn_per_hour"
        }
    }

    public struct Provider: Codable, Sendable {
        public var provider: String
        public var spendUsd: Double
        public var nodes: Int

        enum CodingKeys: String, CodingKey {
            case provider, nodes
            case spendUsd = "spend_usd"
        }
    }

    public var team: String
    public var budgetUsd: Double?
    public var spendUsd: Double
    public var jobs: [Job]
    public var providers: [Provider]

    init(_ report: UsageReport) {
        team = report.teamName
        budgetUsd = report.budget?.dollars
        spendUsd = report.spend.dollars
        jobs = report.jobs.map {
            Job(
                id: $0.id, name: $0.name, state: $0.state.rawValue, spendUsd: $0.spend.dollars,
                burnPerHour: $0.burnPerHour.dollars)
        }
        providers = report.providers.map {
            Provider(provider: $0.provider, spendUsd: $0.spend.dollars, nodes: $0.nodes)
        }
    }

    enum CodingKeys: String, CodingKey {
        case team, jobs, providers
        case budgetUsd = "budget_usd"
        case spendUsd = "spend_usd"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(team, forKey: .team)
        try container.encode(budgetUsd, forKey: .budgetUsd)
        try container.encode(spendUsd, forKey: .spendUsd)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(providers, forKey: .providers)
    }
}
