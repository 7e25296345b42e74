import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Owner pools the config declares: created, kept in line with the file, the old static row taken over")
struct SQLitePoolRepositoryTests {
    private let database: BrokerDatabase
    private let pools: SQLitePoolRepository
    private let providers: SQLiteProviderRepository
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-pools-\(UUID())")
        try DataDirectory.prepare(folder.path)
        database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        pools = SQLitePoolRepository(database: database)
        providers = SQLiteProviderRepository(database: database)
    }

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

    @Test func aNewPoolIsCreatedWithItsProviderAndAKnownOneTakesTheFilesTerms() async throws {
        _ = try await pools.declare(campus())
        #expect(try await providers.provider(id: "campus")?.kind == SQLitePoolRepository.providerKind)
        let again = try await pools.declare(campus(dollarsPerGPUHour: 2, at: start.addingTimeInterval(60)))
        #expect(again.createdAt == start, "still the pool made at first")
        #expect(try await pools.pool(id: "campus")?.terms.defaultPricePerGPUHour == Money(microdollars: 2_000_000))
    }

    @Test func theOperatorsDisableStaysAndTheFileCanTurnItOff() async throws {
        _ = try await pools.declare(campus())
        _ = try await pools.setEnabled(false, pool: "campus")
        #expect(try await pools.declare(campus()).enabled == false, "enabled: true leaves the operator's off alone")
        _ = try await pools.setEnabled(true, pool: "campus")
        #expect(try await pools.declare(campus(enabled: false)).enabled == false)
        #expect(try await providers.provider(id: "campus")?.enabled == false)
    }

    @Test func aDeletedPoolTheFileStillDeclaresIsBack() async throws {
        _ = try await pools.declare(campus())
        try await pools.delete(pool: "campus", at: start)
        #expect(try await pools.pool(id: "campus") == nil)
        let back = try await pools.declare(campus())
        #expect(back.enabled && back.deletedAt == nil)
        #expect(try await providers.provider(id: "campus")?.enabled == true)
    }

    @Test func theRetiredStaticProviderBecomesThePoolAndAnyOtherProviderIsAConflict() async throws {
        try await providers.sync([
            ProviderRecord(
                id: "campus", kind: "static", baseUrl: "static", enabled: true, pollIntervalS: 60, offerExpiryS: 300,
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
