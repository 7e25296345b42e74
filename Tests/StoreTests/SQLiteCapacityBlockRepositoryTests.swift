import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Capacity blocks: kept across restarts, never shortened, forgotten once ended")
struct SQLiteCapacityBlockRepositoryTests {
    private let path: String
    private let start = Date(timeIntervalSince1970: 1_795_000_000)
    private let offer = CapacityBlocklist.Key(.offer, provider: "vast", region: "Utah, US", offer: OfferID("vast:42")!)
    private let region = CapacityBlocklist.Key(
        .region, provider: "lambda", region: "us-east-1", offer: OfferID("lambda:a")!)
    private let provider = CapacityBlocklist.Key(.provider, provider: "aws", region: "r", offer: OfferID("aws:x")!)

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-blocks-\(UUID())")
        try DataDirectory.prepare(folder.path)
        path = folder.appendingPathComponent("gridbroker.sqlite").path
    }

    private func repository() throws -> SQLiteCapacityBlockRepository {
        SQLiteCapacityBlockRepository(database: try BrokerDatabase.open(at: path))
    }

    @Test func blocksOfEveryScopeReadBackAfterAReopenUntilTheyEnd() async throws {
        let blocks = try repository()
        try await blocks.block(offer, until: start.addingTimeInterval(900), now: start)
        try await blocks.block(region, until: start.addingTimeInterval(600), now: start)
        try await blocks.block(provider, until: start.addingTimeInterval(300), now: start)

        let reopened = try repository()
        #expect(
            try await reopened.blocks(at: start) == [
                offer: start.addingTimeInterval(900), region: start.addingTimeInterval(600),
                provider: start.addingTimeInterval(300),
            ])
        #expect(try await reopened.blocks(at: start.addingTimeInterval(600)) == [offer: start.addingTimeInterval(900)])
    }

    @Test func aShorterBlockDoesNotShortenALongerOne() async throws {
        let blocks = try repository()
        try await blocks.block(region, until: start.addingTimeInterval(600), now: start)
        try await blocks.block(region, until: start.addingTimeInterval(60), now: start)
        #expect(try await blocks.blocks(at: start) == [region: start.addingTimeInterval(600)])
        try await blocks.block(region, until: start.addingTimeInterval(1200), now: start)
        #expect(try await blocks.blocks(at: start) == [region: start.addingTimeInterval(1200)])
    }
}
