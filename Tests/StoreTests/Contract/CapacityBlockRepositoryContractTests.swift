import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Capacity blocks on every backend: seen by another broker, never shortened, forgotten once ended")
struct CapacityBlockRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)
    private let offer = CapacityBlocklist.Key(.offer, provider: "vast", region: "Utah, US", offer: OfferID("vast:42")!)
    private let region = CapacityBlocklist.Key(
        .region, provider: "lambda", region: "us-east-1", offer: OfferID("lambda:a")!)
    private let provider = CapacityBlocklist.Key(.provider, provider: "aws", region: "r", offer: OfferID("aws:x")!)

    @Test(arguments: StoreBackend.available)
    func blocksOfEveryScopeReachAnotherBrokerUntilTheyEnd(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            let blocks = try await open().blocks
            try await blocks.block(offer, until: start.addingTimeInterval(900), now: start)
            try await blocks.block(region, until: start.addingTimeInterval(600), now: start)
            try await blocks.block(provider, until: start.addingTimeInterval(300), now: start)

            let other = try await open().blocks
            #expect(
                try await other.blocks(at: start) == [
                    offer: start.addingTimeInterval(900), region: start.addingTimeInterval(600),
                    provider: start.addingTimeInterval(300),
                ])
            #expect(try await other.blocks(at: start.addingTimeInterval(600)) == [offer: start.addingTimeInterval(900)])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aShorterBlockDoesNotShortenALongerOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let blocks = store.blocks
            try await blocks.block(region, until: start.addingTimeInterval(600), now: start)
            try await blocks.block(region, until: start.addingTimeInterval(60), now: start)
            #expect(try await blocks.blocks(at: start) == [region: start.addingTimeInterval(600)])
            try await blocks.block(region, until: start.addingTimeInterval(1200), now: start)
            #expect(try await blocks.blocks(at: start) == [region: start.addingTimeInterval(1200)])
        }
    }
}
