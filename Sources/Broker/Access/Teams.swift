import BrokerCore
import Store

/// Operators' teams: the unit that owns jobs, tokens and a budget.
public struct Teams: Sendable {
    private let teams: any TeamRepository
    private let clock: any BrokerClock

    public init(teams: any TeamRepository, clock: any BrokerClock) {
        self.teams = teams
        self.clock = clock
    }

    public func list() async throws -> [TeamRecord] {
        try await teams.teams()
    }

    public func team(id: String) async throws -> TeamRecord? {
        try await teams.team(id: id)
    }

    /// A new team named `name`; a taken name is a ``Store/StoreError/conflict(_:)``.
    public func create(name: String, budget: Money?) async throws -> TeamRecord {
        let now = clock.now
        return try await teams.create(
            TeamRecord(id: Identifier.make("team", at: now), name: name, budget: budget, createdAt: now))
    }

    /// Sets (or, with nil, removes) team `id`'s budget: the next launches and the accountant's
    /// next pass are held to it.
    public func setBudget(_ budget: Money?, team id: String) async throws -> TeamRecord {
        try await teams.setBudget(budget, team: id)
    }
}
