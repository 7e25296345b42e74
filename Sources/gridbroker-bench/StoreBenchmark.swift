import ArgumentParser
import BrokerCore
import CurlHTTP
import Foundation
import MarketSim
import Store

/// `store`: the same work on each backend: the first poll of every provider into a fresh database
/// (the store's upserts, timed alone), the next poll (1 % repriced), and jobs placed by one
/// scheduler pass. SQLite always; PostgreSQL at `--postgres-url` (scripts/bench starts a throwaway
/// cluster when none is given).
struct StoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Ingest and placement on SQLite and on PostgreSQL.")

    @Option(help: "Provider records in the simulated market (Vast records give an on-demand and a spot offer).")
    var marketRecords = 60_000
    @Option(help: "The market's seed.") var seed: UInt64 = 1
    @Option(help: "1-node jobs placed by one scheduler pass.") var jobs = 300
    @Option(help: "A PostgreSQL database to measure as well (postgres://…).") var postgresURL: String?

    func run() async throws {
        CurlGlobal.initialize()
        let backends: [(String, String?)] = [("sqlite", nil)] + (postgresURL.map { [("postgres", $0)] } ?? [])
        var fields: [(String, JSONLine.Value)] = [("benchmark", .string("store"))]
        for (name, url) in backends {
            // A market of its own for each backend: the launches of one do not use up the other's capacity.
            let simulator = MarketSimulator(configuration: MarketConfiguration(seed: seed, totalOffers: marketRecords))
            let measured = try await InProcessMarket.serve(simulator) { baseURL in
                try await Self.measure(baseURL: baseURL, postgresURL: url, jobs: jobs)
            }
            fields.append((name, .object(measured)))
        }
        if let postgresURL {
            let simulator = MarketSimulator(configuration: MarketConfiguration(seed: seed, totalOffers: marketRecords))
            let measured = try await InProcessMarket.serve(simulator) { baseURL in
                try await Self.measureReplicas(3, baseURL: baseURL, postgresURL: postgresURL, jobs: jobs)
            }
            fields.append(("postgres_three_replicas", .object(measured)))
        }
        print(JSONLine(fields).text)
    }

    /// Placement by `count` brokers on one PostgreSQL database, each with its own connections,
    /// splitting the queue by job leases (on a market of its own, like each backend).
    private static func measureReplicas(_ count: Int, baseURL: String, postgresURL: String, jobs: Int) async throws
        -> JSONLine
    {
        let client = CurlHTTPClient()
        let simulated = try SimulatedProviders(baseURL: baseURL)
        let snapshots = try await simulated.snapshots(transport: client)
        let (first, others) = try await BenchDatabase.freshReplicas(
            simulated.providers, postgresURL: postgresURL, count: count)
        let placement = try await PlacementThroughput.measure(
            simulated: simulated, book: OfferBook(offers: snapshots.flatMap(\.1.offers)), jobs: jobs,
            transport: client, store: first, replicas: others)
        for store in [first] + others { try await store.close() }
        await client.shutdown()
        return JSONLine([
            ("replicas", .int(count)), ("jobs_placed", .int(placement.placed)),
            ("jobs_placed_per_second", .number(placement.jobsPerSecond)),
        ])
    }

    private static func measure(baseURL: String, postgresURL: String?, jobs: Int) async throws -> JSONLine {
        let client = CurlHTTPClient()
        let simulated = try SimulatedProviders(baseURL: baseURL)
        let snapshots = try await simulated.snapshots(transport: client)
        let store = try await BenchDatabase.freshStore(simulated.providers, postgresURL: postgresURL)
        let ingest = try await ingest(snapshots.map { ($0.0, $0.1.offers) }, into: store)
        try await store.close()
        let placementStore = try await BenchDatabase.freshStore(simulated.providers, postgresURL: postgresURL)
        let placement = try await PlacementThroughput.measure(
            simulated: simulated, book: OfferBook(offers: snapshots.flatMap(\.1.offers)), jobs: jobs,
            transport: client, store: placementStore)
        try await placementStore.close()
        await client.shutdown()
        return JSONLine([
            ("offers", .int(snapshots.map(\.1.offers.count).reduce(0, +))),
            ("first_poll_store_seconds", .seconds(ingest.first)),
            ("next_poll_store_seconds", .seconds(ingest.next)),
            ("next_poll_offers_written", .int(ingest.written)),
            ("jobs_placed", .int(placement.placed)),
            ("jobs_placed_per_second", .number(placement.jobsPerSecond)),
        ])
    }

    /// Stores every provider's offers as a first poll, then as the next poll with one offer in a
    /// hundred repriced: the store's time for each (the book works out the changes, untimed).
    private static func ingest(_ listings: [(String, [Offer])], into store: BrokerStore) async throws
        -> (first: Duration, next: Duration, written: Int)
    {
        let offers = store.offers()
        var book = OfferBook()
        var first = Duration.zero
        var next = Duration.zero
        var written = 0
        for round in 0..<2 {
            let now = Date().addingTimeInterval(Double(round) * 30)
            for (provider, listing) in listings {
                let listed = listing.enumerated().map { index, offer in
                    var offer = offer
                    (offer.firstSeenAt, offer.lastSeenAt) = (now, now)
                    if round == 1 && index % 100 == 0 {
                        offer.pricePerHour = offer.pricePerHour + Money(microdollars: 10_000)
                    }
                    return offer
                }
                let changes: OfferChanges
                (book, changes) = book.updated(
                    provider: provider, listing: listed, at: now, expiredBefore: now.addingTimeInterval(-300))
                let start = ContinuousClock.now
                let summary = try await offers.ingest(changes, listing: listed, provider: provider, at: now)
                if round == 0 { first += ContinuousClock.now - start } else { next += ContinuousClock.now - start }
                if round == 1 { written += summary.upserted }
            }
        }
        return (first, next, written)
    }
}
