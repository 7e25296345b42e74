import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("A team's budget on every backend: launches at once from several brokers never take more room than it has")
struct LaunchBudgetContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// Team `team_1` with a $100 budget and the queued jobs `job_0`…`job_{count-1}`.
    private func team(_ store: BrokerStore, jobs count: Int) async throws {
        try await store.providers.sync([ContractFixtures.vast(at: start)])
        _ = try await store.teams.create(
            TeamRecord(id: "team_1", name: "vision", budget: Money(dollars: 100), createdAt: start))
        for index in 0..<count {
            _ = try await store.jobs.submit(
                JobRecord(
                    id: "job_\(index)", teamId: "team_1", name: "llama", spec: #"{"name":"llama"}"#, createdAt: start))
        }
    }

    /// One node of `job` on an offer at `dollars` an hour.
    private func node(of job: String, dollars: Double) -> NodeRecord {
        let offer = ContractFixtures.h100("m-\(job)", market: .onDemand, dollars: dollars, at: start)
        return NodeRecord(id: "node-\(job)", jobID: job, rank: 0, offer: offer, requestedAt: start)
    }

    @Test(arguments: StoreBackend.available)
    func concurrentLaunchesAgainstOneBudgetAdmitOnlyWhatFits(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            // Four brokers launch a $30/h node each for the same team at once; over the one-hour
            // horizon the $100 budget has room for three.
            let first = try await open()
            try await team(first, jobs: 4)
            var stores = [first]
            for _ in 1..<4 { stores.append(try await open()) }
            let budget = LaunchBudget(horizon: .seconds(3600))
            let outcomes = await withTaskGroup(of: (String, Result<JobRecord, StoreError>).self) { group in
                for (index, store) in stores.enumerated() {
                    let job = "job_\(index)"
                    let node = node(of: job, dollars: 30)
                    group.addTask {
                        do {
                            return (
                                job,
                                .success(
                                    try await store.nodes.beginProvisioning(
                                        job: job, nodes: [node], at: start, under: nil, within: budget))
                            )
                        } catch {
                            return (job, .failure(error as? StoreError ?? .corruptRecord("\(error)")))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let refused = outcomes.filter { if case .failure = $0.value { true } else { false } }
            #expect(refused.count == 1)
            for (job, outcome) in refused {
                guard case .failure(.overBudget(let reason)) = outcome else {
                    Issue.record("\(job): \(outcome)")
                    continue
                }
                #expect(reason.contains("team vision has no room in its budget for $30.00/h more"))
                #expect(reason.contains("its nodes cost $90.00/h"))
                #expect(try await first.jobs.job(id: job)?.state == .queued)
                #expect(try await first.nodes.nodes(ofJob: job).isEmpty)
            }
            let launched = try await first.nodes.liveNodes(provider: nil).filter { $0.jobId.hasPrefix("job_") }
            #expect(launched.count == 3)
        }
    }

    @Test(arguments: StoreBackend.available)
    func nodesAskedForCountAgainstTheBudgetUntilTheTeamHasNone(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await team(store, jobs: 2)
            let budget = LaunchBudget(horizon: .seconds(3600))
            _ = try await store.nodes.beginProvisioning(
                job: "job_0", nodes: [node(of: "job_0", dollars: 90)], at: start, under: nil, within: nil)
            // The $90/h node has not launched yet; it is counted all the same.
            await #expect(throws: StoreError.self) {
                try await store.nodes.beginProvisioning(
                    job: "job_1", nodes: [node(of: "job_1", dollars: 20)], at: start, under: nil, within: budget)
            }
            _ = try await store.teams.setBudget(nil, team: "team_1")
            _ = try await store.nodes.beginProvisioning(
                job: "job_1", nodes: [node(of: "job_1", dollars: 20)], at: start, under: nil, within: budget)
            #expect(try await store.jobs.job(id: "job_1")?.state == .provisioning)
        }
    }
}
