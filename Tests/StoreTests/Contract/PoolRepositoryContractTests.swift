import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite(
    "Owner pools on every backend, as the config declares them: created, kept in line with the file, the old static row taken over"
)
struct PoolRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func campus(dollarsPerGPUHour: Int64 = 1, enabled: Bool = true, at date: Date? = nil) -> PoolRecord {
        var record = PoolRecord(
            id: "campus", name: "Campus A100s", country: "DE", region: "berlin-1",
            terms: PoolTerms(
                market: .spot, minNoticeSeconds: 30,
                defaultPricePerGPUHour: Money(microdollars: dollarsPerGPUHour * 1_000_000)),
            createdAt: date ?? start)
        record.enabled = enabled
        return record
    }

    @Test(arguments: StoreBackend.available) func aNewPoolIsCreatedWithItsProviderAndAKnownOneTakesTheFilesTerms(
        _ backend: StoreBackend
    ) async throws {
        try await backend.withStore { store in
            let (pools, providers) = (store.pools, store.providers)
            _ = try await pools.declare(campus())
            #expect(try await providers.provider(id: "campus")?.kind == SQLitePoolRepository.providerKind)
            let again = try await pools.declare(campus(dollarsPerGPUHour: 2, at: start.addingTimeInterval(60)))
            #expect(again.createdAt == start, "still the pool made at first")
            #expect(try await pools.pool(id: "campus")?.terms.defaultPricePerGPUHour == Money(microdollars: 2_000_000))
        }
    }

    @Test(arguments: StoreBackend.available) func theOperatorsDisableStaysAndTheFileCanTurnItOff(
        _ backend: StoreBackend
    ) async throws {
        try await backend.withStore { store in
            let (pools, providers) = (store.pools, store.providers)
            _ = try await pools.declare(campus())
            _ = try await pools.setEnabled(false, pool: "campus")
            #expect(try await pools.declare(campus()).enabled == false, "enabled: true leaves the operator's off alone")
            _ = try await pools.setEnabled(true, pool: "campus")
            #expect(try await pools.declare(campus(enabled: false)).enabled == false)
            #expect(try await providers.provider(id: "campus")?.enabled == false)
        }
    }

    @Test(arguments: StoreBackend.available) func aDeletedPoolTheFileStillDeclaresIsBack(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let (pools, providers) = (store.pools, store.providers)
            _ = try await pools.declare(campus())
            try await pools.delete(pool: "campus", at: start)
            #expect(try await pools.pool(id: "campus") == nil)
            let back = try await pools.declare(campus())
            #expect(back.enabled && back.deletedAt == nil)
            #expect(try await providers.provider(id: "campus")?.enabled == true)
        }
    }

    @Test(arguments: StoreBackend.available) func theRetiredStaticProviderBecomesThePoolAndAnyOtherProviderIsAConflict(
        _ backend: StoreBackend
    ) async throws {
        try await backend.withStore { store in
            let (pools, providers) = (store.pools, store.providers)
            try await providers.sync([
                ProviderRecord(
                    id: "campus", kind: "static", baseUrl: "static", enabled: true, pollIntervalS: 60,
                    offerExpiryS: 300,
                    createdAt: start),
                ProviderRecord(
                    id: "vast", kind: "vast", baseUrl: "https://vast.example", enabled: true, pollIntervalS: 30,
                    offerExpiryS: 120, createdAt: start),
            ])
            _ = try await pools.declare(campus())
            #expect(try await providers.provider(id: "campus")?.kind == SQLitePoolRepository.providerKind)
            var taken = campus()
            taken.id = "vast"
            taken.name = "Vast"
            await #expect(throws: StoreError.conflict("the id 'vast' is taken by the provider of kind vast")) {
                try await pools.declare(taken)
            }
            var sameName = campus()
            sameName.id = "lab"
            await #expect(throws: StoreError.conflict("a pool named 'Campus A100s' already exists")) {
                try await pools.declare(sameName)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func machinesJoinWithATokenAndStopCountingWhenItIsRevoked(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let pools = store.pools
            _ = try await pools.create(campus())
            await #expect(throws: StoreError.conflict("the id 'campus' is taken by a provider or pool")) {
                try await pools.create(campus())
            }
            let token = try await pools.issueJoinToken(
                PoolJoinTokenRecord(
                    id: "pjt_1", poolId: "campus", name: "rack 1", tokenHash: "join_1", createdAt: start))
            #expect(try await pools.joinToken(hash: "join_1")?.pool.id == "campus")
            let registration = try #require(
                MachineRegistration.check(
                    name: "gpu-01", gpu: "A100-80GB", gpus: 4, gpuMemoryGB: 80, vcpus: 32, memoryGB: 256, diskGB: 1000,
                    catalog: .standard
                ).registration)
            let first = try await pools.register(
                PoolMachineRecord(
                    id: "pm_1", poolId: "campus", joinTokenId: token.id, registration: registration,
                    tokenHash: "machine_1", at: start))
            // The same machine again: same record, a new token, the old one dead.
            let again = try await pools.register(
                PoolMachineRecord(
                    id: "pm_2", poolId: "campus", joinTokenId: token.id, registration: registration,
                    tokenHash: "machine_2", at: start.addingTimeInterval(60)))
            #expect(again.id == first.id && again.registeredAt == start)
            #expect(try await pools.heartbeat(machineTokenHash: "machine_1", at: start.addingTimeInterval(90)) == nil)
            let beat = try await pools.heartbeat(machineTokenHash: "machine_2", at: start.addingTimeInterval(90))
            #expect(beat?.lastHeartbeatAt == start.addingTimeInterval(90))
            #expect(try await pools.machinesOfEnabledPools().map { $0.machines.map(\.name) } == [["gpu-01"]])

            _ = try await pools.revokeJoinToken(id: "pjt_1", at: start.addingTimeInterval(100))
            #expect(
                try await pools.revokeJoinToken(id: "pjt_1", at: start.addingTimeInterval(200)).revokedAt
                    == start.addingTimeInterval(100))
            #expect(try await pools.joinToken(hash: "join_1") == nil)
            #expect(try await pools.heartbeat(machineTokenHash: "machine_2", at: start.addingTimeInterval(120)) == nil)
            #expect(try await pools.machinesOfEnabledPools().map(\.machines.isEmpty) == [true])
            #expect(try await pools.joinTokens(pool: "campus").map(\.id) == ["pjt_1"])
        }
    }
}
