import Foundation
import Testing

@testable import Store

@Suite("The owner machines' ledger on every backend: none at first, changed by one broker at a time")
struct MachineLedgerContractTests {
    @Test(arguments: StoreBackend.available)
    func changesFromSeveralBrokersAtOnceTakeTurns(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            let (a, b) = (try await open().pools, try await open().pools)
            #expect(try await a.machineLedger() == nil)
            // A change that keeps the ledger as it is writes nothing.
            #expect(try await a.changeMachineLedger { stored in (nil, stored) } == nil)
            #expect(try await b.machineLedger() == nil)

            // Each change reads what the one before wrote: none is lost.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, pools) in Array(repeating: [a, b], count: 5).flatMap({ $0 }).enumerated() {
                    group.addTask {
                        _ = try await pools.changeMachineLedger { stored in
                            ((stored ?? "") + "\(index % 10)", ())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let ledger = try #require(try await b.machineLedger())
            #expect(ledger.sorted() == Array("0123456789"))
        }
    }
}
