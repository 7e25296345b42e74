import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Teams on every backend: unique names, ensured once, budgets set and removed")
struct TeamRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: StoreBackend.available)
    func aSecondTeamWithTheSameNameIsAConflict(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
            await #expect(throws: StoreError.conflict("a team named 'vision' already exists")) {
                try await store.teams.create(TeamRecord(id: "team_2", name: "vision", budget: nil, createdAt: start))
            }
            #expect(try await store.teams.teams().map(\.id) == ["team_1"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func ensureKeepsTheStoredTeamAndBudgetsChange(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let budget = Money(microdollars: 5_000_000)
            let stored = try await store.teams.ensure(
                TeamRecord(id: "team_1", name: "vision", budget: budget, createdAt: start))
            let again = try await store.teams.ensure(
                TeamRecord(id: "team_1", name: "other", budget: nil, createdAt: start.addingTimeInterval(5)))
            #expect(again == stored)
            #expect(try await store.teams.setBudget(nil, team: "team_1").budget == nil)
            #expect(try await store.teams.team(id: "team_1")?.budget == nil)
            #expect(try await store.teams.setBudget(budget, team: "team_1").budget == budget)
            await #expect(throws: StoreError.notFound(entity: "team", id: "team_x")) {
                try await store.teams.setBudget(budget, team: "team_x")
            }
        }
    }
}
